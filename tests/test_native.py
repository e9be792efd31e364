"""Run-time compilation of the C and Fortran sources: cached by content, errors explained."""

import pytest

from jaxecon.backends import native


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("JAXECON_CACHE", str(tmp_path / "cache"))


def test_compiling_twice_reuses_the_cached_library():
    first = native.compile_native(["solow.c"], compiler="gcc", shared=True)
    mtime = first.stat().st_mtime_ns
    again = native.compile_native(["solow.c"], compiler="gcc", shared=True)
    assert again == first and again.stat().st_mtime_ns == mtime


def test_different_flags_compile_a_different_library():
    o2 = native.compile_native(["solow.c"], compiler="gcc", flags=("-O2",), shared=True)
    o0 = native.compile_native(["solow.c"], compiler="gcc", flags=("-O0",), shared=True)
    assert o2 != o0 and o2.exists() and o0.exists()


def test_a_source_edit_compiles_anew(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "NATIVE_DIR", tmp_path)
    (tmp_path / "f.c").write_text("double f(void) { return 1.0; }\n")
    first = native.compile_native(["f.c"], compiler="gcc", shared=True)
    (tmp_path / "f.c").write_text("double f(void) { return 2.0; }\n")
    assert native.compile_native(["f.c"], compiler="gcc", shared=True) != first


def test_a_compile_error_raises_with_the_compiler_message(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "NATIVE_DIR", tmp_path)
    (tmp_path / "broken.c").write_text("double f(void) { return }\n")
    with pytest.raises(RuntimeError, match="broken.c.*error"):
        native.compile_native(["broken.c"], compiler="gcc", shared=True)


def test_a_missing_compiler_is_named():
    with pytest.raises(FileNotFoundError, match="no-such-cc"):
        native.compiler_version("no-such-cc")


def test_nothing_is_written_next_to_the_sources():
    before = set(native.NATIVE_DIR.iterdir())
    native.compile_native(["solow_lib.f90", "solow.f90"], compiler="gfortran", shared=False)
    assert set(native.NATIVE_DIR.iterdir()) == before
