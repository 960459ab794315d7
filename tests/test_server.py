"""The web server's own behaviour: files built on click survive a busy room's clean-ups."""

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

import server  # noqa: F401 - importing it installs the download grace period


def _built_download(manager: MediaFileManager) -> str:
    placeholder = manager.add_deferred(lambda: b"%PDF-1.7 blueprint", "application/pdf",
                                       "coords", file_name="blueprint.pdf")
    url = manager.execute_deferred(placeholder)
    return url.rsplit("/", 1)[-1].split(".")[0]


def test_a_file_built_on_click_outlives_other_sessions_clean_ups(monkeypatch):
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    file_id = _built_download(manager)
    for _ in range(10):  # ten other sessions finish a script run before the browser asks
        manager.remove_orphaned_files()
    assert storage.get_file(file_id).content.startswith(b"%PDF")


def test_an_unclaimed_download_is_deleted_after_the_grace_period(monkeypatch):
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    file_id = _built_download(manager)
    manager.remove_orphaned_files()
    later = server.time.monotonic() + server.DOWNLOAD_GRACE_SECONDS + 1
    monkeypatch.setattr(server.time, "monotonic", lambda: later)
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert file_id not in manager._file_metadata
