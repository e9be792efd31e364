"""The last-changed date of `_ext/last_changed.py`, on a temporary git repository."""

import subprocess

import pytest

import last_changed  # a build extension, on the pythonpath set in pyproject.toml

ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_COMMITTER_DATE": "2024-06-03T10:00:00",
       "GIT_AUTHOR_DATE": "2024-06-03T10:00:00"}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    page = tmp_path / "page.md"
    page.write_text("# Page\n")
    subprocess.run(["git", "add", "page.md"], cwd=tmp_path, check=True)
    subprocess.run(["git", "commit", "-qm", "add page"], cwd=tmp_path, check=True)
    return tmp_path


def test_date_is_the_last_commit_touching_the_file(repo):
    assert last_changed.git_last_changed(repo / "page.md") == "2024-06-03"


def test_local_edits_are_reported_as_uncommitted(repo):
    (repo / "page.md").write_text("# Page, edited\n")
    assert last_changed.git_last_changed(repo / "page.md") == "uncommitted"


def test_a_file_outside_git_has_no_date(tmp_path):
    (tmp_path / "page.md").write_text("# Page\n")
    assert last_changed.git_last_changed(tmp_path / "page.md") is None
