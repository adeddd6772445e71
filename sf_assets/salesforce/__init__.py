"""The Salesforce client: login, one HTTP session, retries, typed errors, REST and Bulk 2.0 reads.

Plain Python with no Dagster import; `sf_assets.resources.salesforce` wraps it as a resource.
"""

from .auth import AUTH_MODES, REQUIRED_SETTINGS, SalesforceAuth, jwt_audience
from .client import SalesforceClient
from .errors import (
    ApiBudgetExhausted,
    BulkJobFailed,
    BulkJobTimedOut,
    FunctionalityNotEnabled,
    InsufficientPrivileges,
    InvalidQuery,
    ObjectNotQueryable,
    RequestLimitExceeded,
    SalesforceApiError,
    SalesforceAuthError,
    SalesforceConfigError,
    SalesforceRequestFailed,
    SalesforceUnavailable,
    SessionExpired,
    TlsVerificationFailed,
    TooManyConcurrentRequests,
    to_error,
)
from .http import ClientSettings
from .records import DeletedRecords, UpdatedRecords

__all__ = [
    "AUTH_MODES",
    "REQUIRED_SETTINGS",
    "BulkJobFailed",
    "BulkJobTimedOut",
    "ClientSettings",
    "DeletedRecords",
    "FunctionalityNotEnabled",
    "InsufficientPrivileges",
    "InvalidQuery",
    "ObjectNotQueryable",
    "ApiBudgetExhausted",
    "RequestLimitExceeded",
    "SalesforceApiError",
    "SalesforceAuth",
    "SalesforceAuthError",
    "SalesforceClient",
    "SalesforceConfigError",
    "SalesforceRequestFailed",
    "SalesforceUnavailable",
    "SessionExpired",
    "TlsVerificationFailed",
    "TooManyConcurrentRequests",
    "UpdatedRecords",
    "jwt_audience",
    "to_error",
]
