"""`limits` and `limits/recordCount`: the quota as the org counts it."""

from starlette.responses import Response

from ..bulk2.jobs import bulk_settings
from ..http.endpoint import Req, json_response

# Allowances a Developer Edition org reports; DailyApiRequests and DailyBulkApiBatches are live.
_STATIC_LIMITS = {
    "ConcurrentAsyncGetReportInstances": 200,
    "ConcurrentSyncReportRuns": 20,
    "DailyAsyncApexExecutions": 250000,
    "DailyBulkApiBatches": 15000,
    "DailyBulkV2QueryFileStorageMB": 976562,
    "DailyBulkV2QueryJobs": 10000,
    "DailyDurableGenericStreamingApiEvents": 10000,
    "DailyDurableStreamingApiEvents": 10000,
    "DailyGenericStreamingApiEvents": 10000,
    "DailyStreamingApiEvents": 10000,
    "DailyWorkflowEmails": 390,
    "DataStorageMB": 5,
    "FileStorageMB": 20,
    "HourlyAsyncReportRuns": 1200,
    "HourlyDashboardRefreshes": 200,
    "HourlyDashboardResults": 5000,
    "HourlyDashboardStatuses": 999999999,
    "HourlyODataCallout": 10000,
    "HourlySyncReportRuns": 500,
    "HourlyTimeBasedWorkflow": 50,
    "MassEmail": 10,
    "SingleEmail": 15,
}


def limits(req: Req) -> Response:
    org = req.require_org()
    maximum = org.usage.settings.daily_api_requests
    body = {"DailyApiRequests": {"Max": maximum, "Remaining": max(0, maximum - org.usage.used(org.now_ms()))}}
    body.update({name: {"Max": value, "Remaining": value} for name, value in _STATIC_LIMITS.items()})
    batches = body["DailyBulkApiBatches"]
    batches["Remaining"] = max(0, batches["Max"] - bulk_settings(org).batches_created)
    return json_response(dict(sorted(body.items())))


def record_count(req: Req) -> Response:
    org = req.require_org()
    names = req.arg("sObjects")
    counts = org.record_count([n.strip() for n in names.split(",") if n.strip()] if names else None)
    return json_response({"sObjects": [{"count": count, "name": name} for name, count in counts]})
