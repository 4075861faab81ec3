"""What `make` installs from Debian: WeasyPrint's Pango and the DejaVu fonts render Vietnamese."""

import re

from weasyprint import HTML


def test_weasyprint_renders_vietnamese_with_an_embedded_font():
    html = "<p style='font-family: DejaVu Sans'>Đảng bộ tỉnh — Hoàn thành xuất sắc nhiệm vụ</p>"
    pdf = HTML(string=html).write_pdf(uncompressed_pdf=True)
    assert pdf.startswith(b"%PDF")
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", pdf))
    assert fonts == {b"DejaVu-Sans"}  # found and embedded, not a fallback font
