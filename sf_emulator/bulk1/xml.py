"""Bulk API 1.0 XML: jobInfo/batchInfo/error documents in the recorded element order, and jobInfo parsing."""

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from ..store.errors import SalesforceError

NAMESPACE = "http://www.force.com/2009/06/asyncapi/dataload"
XML_TYPE = "application/xml"

# Element order of the recorded templates (jobInfo_*_xml.tpl, batchInfo_xml.tpl).
JOB_ORDER = (
    "id", "operation", "object", "createdById", "createdDate", "systemModstamp", "state",
    "externalIdFieldName", "concurrencyMode", "contentType", "numberBatchesQueued",
    "numberBatchesInProgress", "numberBatchesCompleted", "numberBatchesFailed", "numberBatchesTotal",
    "numberRecordsProcessed", "numberRetries", "apiVersion", "numberRecordsFailed",
    "totalProcessingTime", "apiActiveProcessingTime", "apexProcessingTime",
)  # fmt: skip
BATCH_ORDER = (
    "id", "jobId", "state", "stateMessage", "createdDate", "systemModstamp", "numberRecordsProcessed",
    "numberRecordsFailed", "totalProcessingTime", "apiActiveProcessingTime", "apexProcessingTime",
)  # fmt: skip
_PROLOG = '<?xml version="1.0" encoding="UTF-8"?>'


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _elements(data: dict, order: tuple[str, ...], indent: str) -> str:
    return "".join(
        f"{indent}<{key}>{_text(data[key])}</{key}>\n" for key in order if data.get(key) is not None
    )


def _document(root: str, inner: str) -> str:
    return f'{_PROLOG}<{root}\n   xmlns="{NAMESPACE}">\n{inner}</{root}>'


def job_info(data: dict) -> str:
    return _document("jobInfo", _elements(data, JOB_ORDER, " "))


def batch_info(data: dict) -> str:
    return _document("batchInfo", _elements(data, BATCH_ORDER, " "))


def batch_info_list(batches: list[dict]) -> str:
    if not batches:
        return f'{_PROLOG}<batchInfoList\n   xmlns="{NAMESPACE}" />'
    inner = "".join(f" <batchInfo>\n{_elements(b, BATCH_ORDER, '  ')} </batchInfo>\n" for b in batches)
    return _document("batchInfoList", inner)


def result_list(result_ids: list[str]) -> str:
    inner = "".join(f"<result>{escape(r)}</result>" for r in result_ids)
    return f'{_PROLOG}<result-list xmlns="{NAMESPACE}">{inner}</result-list>'


def error(code: str, message: str) -> str:
    return _document(
        "error",
        f" <exceptionCode>{escape(code)}</exceptionCode>\n <exceptionMessage>{escape(message)}</exceptionMessage>\n",
    )


def parse_job_info(body: bytes) -> dict[str, str]:
    """The child elements of a `<jobInfo>` request body, by local name."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as parse_error:
        raise SalesforceError(400, "XMLParserError", f"Unable to parse XML: {parse_error}") from None
    if root.tag.rpartition("}")[2] != "jobInfo":
        raise SalesforceError(400, "InvalidJob", f"Expected a jobInfo element, got {root.tag}")
    return {child.tag.rpartition("}")[2]: (child.text or "").strip() for child in root}
