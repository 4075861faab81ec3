"""Primary keys read from URLs and forms."""


def parse_pk(value) -> int | None:
    """A primary key from a URL or a form, or ``None`` for anything that is not one."""
    if isinstance(value, int):
        return value
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None
