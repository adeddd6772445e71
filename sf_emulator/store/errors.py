"""The one error type the store raises; the HTTP layer renders it per API family."""

from dataclasses import dataclass, field


@dataclass
class SalesforceError(Exception):
    """A Salesforce error: `errorCode`, message, the fields it concerns and its HTTP status."""

    status: int
    error_code: str
    message: str
    fields: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.error_code}: {self.message}"

    def as_rest(self) -> dict:
        """The REST body element: `errorCode` (top level) with `fields` only when present."""
        body: dict = {"message": self.message, "errorCode": self.error_code}
        if self.fields:
            body["fields"] = list(self.fields)
        return body

    def as_save_error(self) -> dict:
        """The element of a SaveResult's `errors`: `statusCode`, as collections and Bulk use it."""
        return {"statusCode": self.error_code, "message": self.message, "fields": list(self.fields)}


def not_found(message: str = "The requested resource does not exist") -> SalesforceError:
    return SalesforceError(404, "NOT_FOUND", message)


def invalid_type(name: str) -> SalesforceError:
    """An unknown sObject named in SOQL or a Bulk job (REST paths get `not_found` instead)."""
    return SalesforceError(
        400,
        "INVALID_TYPE",
        f"sObject type '{name}' is not supported. If you are attempting to use a custom object, "
        "be sure to append the '__c' after the entity name. Please reference your WSDL or the "
        "describe call for the appropriate names.",
    )


def malformed(message: str) -> SalesforceError:
    return SalesforceError(400, "MALFORMED_QUERY", message)


class MultipleMatches(SalesforceError):
    """300: several records match an external id; the body lists their URLs."""

    def __init__(self, sobject: str, record_ids: list[str]) -> None:
        super().__init__(300, "MULTIPLE_CHOICES", f"Multiple {sobject} records match", [])
        self.sobject = sobject
        self.record_ids = record_ids
