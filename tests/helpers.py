import html


def page_text(response) -> str:
    """The page as a person reads it: HTML entities (e.g. the escaped apostrophe) decoded."""
    return html.unescape(response.content.decode())
