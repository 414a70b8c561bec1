import io
import zipfile

import pytest
from tornado.httpclient import HTTPClientError


@pytest.fixture
def jp_server_config():
    return {
        "ServerApp": {"jpserver_extensions": {"archiver": True}},
        "ArchiverConfig": {"chunk_size": 7},
    }


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


async def test_a_folder_downloads_as_a_zip(jp_fetch, jp_root_dir):
    (jp_root_dir / "notes" / "sub").mkdir(parents=True)
    (jp_root_dir / "notes" / "a.txt").write_text("alpha")
    (jp_root_dir / "notes" / "sub" / "b.txt").write_text("beta")
    response = await jp_fetch("directories", "notes")
    assert response.headers["Content-Type"] == "application/zip"
    assert 'filename="notes.zip"' in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.body)) as archive:
        assert sorted(archive.namelist()) == ["a.txt", "sub/b.txt"]
        assert archive.read("sub/b.txt") == b"beta"


def test_the_configured_chunk_size_reaches_the_handlers(jp_serverapp):
    assert jp_serverapp.web_app.settings["archiver"].chunk_size == 7


async def test_a_missing_folder_is_404(jp_fetch):
    with pytest.raises(HTTPClientError) as missing:
        await jp_fetch("directories", "missing")
    assert missing.value.code == 404


async def test_an_archive_extracts_beside_itself(jp_fetch, jp_root_dir):
    (jp_root_dir / "bundle.zip").write_bytes(zip_bytes({"x/y.txt": "why"}))
    await jp_fetch("extract-archive", "bundle.zip")
    assert (jp_root_dir / "bundle" / "x" / "y.txt").read_text() == "why"


async def test_an_archive_writing_outside_its_folder_is_refused(jp_fetch, jp_root_dir):
    (jp_root_dir / "evil.zip").write_bytes(zip_bytes({"../escaped.txt": "no"}))
    with pytest.raises(HTTPClientError) as refused:
        await jp_fetch("extract-archive", "evil.zip")
    assert refused.value.code == 400
    assert not (jp_root_dir / "escaped.txt").exists()


async def test_browsers_without_credentials_are_sent_to_log_in(jp_fetch):
    response = await jp_fetch(
        "directories",
        "notes",
        headers={"Authorization": ""},
        follow_redirects=False,
        raise_error=False,
    )
    assert response.code == 302
