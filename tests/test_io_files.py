"""The file functions of ``newslake.io`` (Hadoop FileSystem through the JVM, so the same calls
work on a local disk, HDFS or an object store), on a real local file system."""

import os
import time


def test_write_list_move_and_remove(spark, tmp_path):
    from newslake import io

    out = tmp_path / "out"
    io.write_bytes(spark, str(out / "a.bin"), b"\x89PNG one")
    io.write_bytes(spark, str(out / "a.bin"), b"two")  # replaces
    assert (out / "a.bin").read_bytes() == b"two"
    (out / "sub").mkdir()
    assert set(io.list_files(spark, str(out))) >= {"a.bin"} and "sub" not in io.list_files(spark, str(out))
    folders = io.list_folders(spark, str(out))
    assert list(folders) == ["sub"] and folders["sub"].startswith("file:") and folders["sub"].endswith("/out/sub")
    assert io.list_files(spark, str(tmp_path / "absent")) == {} == io.list_folders(spark, str(tmp_path / "absent"))

    # A move replaces the target and leaves no checksum file of the old one behind.
    (out / "b.csv").write_text("old")
    (out / ".b.csv.crc").write_bytes(b"stale")
    target = io.move_file(spark, io.list_files(spark, str(out))["a.bin"], f"{out}/b.csv")
    assert target == f"{out}/b.csv" and (out / "b.csv").read_bytes() == b"two"
    assert not (out / "a.bin").exists() and not (out / ".b.csv.crc").exists()

    io.remove_path(spark, str(out))
    assert not out.exists()


def test_newest_change_ms_looks_inside_the_folder(spark, tmp_path):
    from newslake import io

    folder = tmp_path / "run" / "sentences"
    folder.mkdir(parents=True)
    part = folder / "part-0"
    part.write_bytes(b"x")
    old, new = time.time() - 48 * 3600, time.time() - 60
    for path in (folder, folder.parent):
        os.utime(path, (old, old))
    os.utime(part, (new, new))
    assert abs(io.newest_change_ms(spark, str(folder.parent)) - new * 1000) < 2000
