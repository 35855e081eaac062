"""The one document layer: every .docx the app produces is built here (layout, fonts, page numbers,
落款, properties) and checked here. Infrastructure only: it imports no domain app; callers pass the
organisation's name, dates and texts in as plain values.

    from zhibu.core.documents import Doc, OUTWARD, RECORD, cn_date, official_name
"""

from zhibu.core.documents.layout import (
    BODY_FONT,
    H1_FONT,
    H2_FONT,
    LABEL_FONT,
    LINE,
    OUTWARD,
    PAGE_DASH,
    PAGE_OF_TOTAL,
    RECORD,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_5,
    SIZE_S4,
    TABLE_FONT,
    TITLE_FONT,
    Doc,
    add_field,
    fix_table_widths,
    row_height,
)
from zhibu.core.documents.text import (
    cn_date,
    cn_month,
    cn_time_range,
    committee_name,
    fullwidth,
    official_name,
    tidy,
)

__all__ = [
    "BODY_FONT",
    "H1_FONT",
    "H2_FONT",
    "LABEL_FONT",
    "LINE",
    "OUTWARD",
    "PAGE_DASH",
    "PAGE_OF_TOTAL",
    "RECORD",
    "SIZE_2",
    "SIZE_3",
    "SIZE_4",
    "SIZE_5",
    "SIZE_S4",
    "TABLE_FONT",
    "TITLE_FONT",
    "Doc",
    "add_field",
    "fix_table_widths",
    "row_height",
    "cn_date",
    "cn_month",
    "cn_time_range",
    "committee_name",
    "fullwidth",
    "official_name",
    "tidy",
]
