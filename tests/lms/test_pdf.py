"""Every PDF goes through lms.pdf: WeasyPrint may read data: URLs and the folders a
document is given, never other files or the network."""

import io

from pypdf import PdfReader

from lms.pdf import html_to_pdf


def _attachments(pdf: bytes) -> dict:
    return PdfReader(io.BytesIO(pdf)).attachments


def _page_linking(path) -> str:
    return (
        f'<html><head><link rel="attachment" href="{path.as_uri()}"></head>'
        f'<body style="background: url({path.as_uri()})"><p>证书</p></body></html>'
    )


def test_a_file_outside_the_allowed_folders_is_not_read(tmp_path):
    secret = tmp_path / "secret" / "environ.txt"
    secret.parent.mkdir()
    secret.write_text("DJANGO_SECRET_KEY=do-not-leak")
    allowed = tmp_path / "seals"
    allowed.mkdir()

    pdf = html_to_pdf(_page_linking(secret), roots=[allowed])

    assert _attachments(pdf) == {}
    assert b"do-not-leak" not in pdf


def test_a_path_that_climbs_out_of_an_allowed_folder_is_not_read(tmp_path):
    (tmp_path / "seals").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("do-not-leak")
    sneaky = tmp_path / "seals" / ".." / "secret.txt"

    pdf = html_to_pdf(
        f'<link rel="attachment" href="file://{sneaky}"><p>x</p>', roots=[tmp_path / "seals"]
    )

    assert _attachments(pdf) == {}


def test_files_inside_the_allowed_folders_and_data_urls_are_read(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("allowed")

    pdf = html_to_pdf(_page_linking(note), roots=[tmp_path])

    assert _attachments(pdf) == {"note.txt": [b"allowed"]}


def test_no_network_fetches():
    pdf = html_to_pdf('<link rel="attachment" href="http://127.0.0.1:9/x.txt"><p>x</p>')
    assert _attachments(pdf) == {}
