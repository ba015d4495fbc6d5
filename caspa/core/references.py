"""How a record is referred to in pages, e-mails and logs: by reference, never by a person's
details. Here, below every app, because the panel names actions it may not import."""


def action_reference(pk: int) -> str:
    return f"A-{pk:06d}"
