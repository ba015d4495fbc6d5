"""How a record is referred to in pages, e-mails and logs: by reference, never by a person's
details. Here, below every app, because the panel names actions it may not import."""


def action_reference(pk: int) -> str:
    return f"A-{pk:06d}"


# A referral's, a case's, an action's or a person record's reference: R-000012, C-000057,
# A-000284, P-000098.
REFERENCE_PATTERN = r"\b[RCAP]-\d{6}\b"
