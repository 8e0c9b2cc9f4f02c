"""`hotline asr install-model` against a local HTTP server: checksum, safe unpacking, atomic swap."""

from __future__ import annotations

import hashlib
import http.server
import io
import os
import subprocess
import sys
import threading
import zipfile

import pytest

from hotline.asr.engine import ModelError, check_model
from hotline.asr.install import install_model

NAME = "vosk-model-small-cn-0.22"
FILES = ["am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst",
         "graph/phones/word_boundary.int", "ivector/final.dubm", "ivector/final.ie", "ivector/final.mat",
         "ivector/global_cmvn.stats", "ivector/online_cmvn.conf", "ivector/splice.conf"]


def model_zip(members: dict[str, bytes] | None = None) -> bytes:
    members = members if members is not None else {
        f"{NAME}/{f}": (b"--sample-frequency=16000\n" if f.endswith("mfcc.conf") else b"x") for f in FILES}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def server():
    files: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"

    def serve(path: str, body: bytes) -> tuple[str, str]:
        files[path] = body
        return base + path, hashlib.sha256(body).hexdigest()

    yield serve
    httpd.shutdown()


def test_installs_a_verified_model(server, tmp_path):
    url, sha = server("/m.zip", model_zip())
    target = install_model(tmp_path / "models" / NAME, sha, url=url)
    assert check_model(target) == [] and (target / "am" / "final.mdl").read_bytes() == b"x"
    assert [p.name for p in target.parent.iterdir()] == [NAME]  # no temporary files left behind


def test_a_wrong_checksum_installs_nothing_and_keeps_the_old_model(server, tmp_path):
    old = tmp_path / NAME
    old.mkdir()
    (old / "keep").write_text("old")
    url, sha = server("/m.zip", model_zip())
    with pytest.raises(ModelError, match=r"SHA-256 is .* expected 0{64}; nothing installed"):
        install_model(old, "0" * 64, url=url)
    assert (old / "keep").read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == [NAME]


@pytest.mark.parametrize("members,message", [
    ({"../evil": b"x"}, "outside the model directory"),
    ({"/etc/evil": b"x"}, "outside the model directory"),
    ({f"{NAME}/am/final.mdl": b"x"}, "not a usable Vosk model: .*conf/mfcc.conf: missing"),
])
def test_bad_archives_are_refused(server, tmp_path, members, message):
    url, sha = server("/bad.zip", model_zip(members))
    with pytest.raises(ModelError, match=message):
        install_model(tmp_path / NAME, sha, url=url)
    assert not (tmp_path / NAME).exists() and not (tmp_path.parent / "evil").exists()


def test_not_a_zip_and_not_found(server, tmp_path):
    url, sha = server("/page.zip", b"<html>not here</html>")
    with pytest.raises(ModelError, match="not a zip archive"):
        install_model(tmp_path / NAME, sha, url=url)
    with pytest.raises(ModelError, match=r"download failed .*404"):
        install_model(tmp_path / NAME, sha, url=url.replace("page", "missing"))
    with pytest.raises(ModelError, match="64 hexadecimal digits"):
        install_model(tmp_path / NAME, "abc", url=url)
    with pytest.raises(ModelError, match="no official download"):
        install_model(tmp_path / "vosk-model-xx", sha)


def test_cli_install_then_check(server, tmp_path):
    url, sha = server("/m.zip", model_zip())
    target = tmp_path / "models" / NAME
    env = {**os.environ, "HOTLINE_ASR_MODEL_DIR": str(target)}
    out = subprocess.run([sys.executable, "-m", "hotline.cli", "asr", "install-model", NAME, "--sha256", sha,
                          "--url", url], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    check = subprocess.run([sys.executable, "-m", "hotline.cli", "asr", "check"], capture_output=True, text=True,
                           env=env)
    assert check.returncode == 0 and "ok (16000 Hz)" in check.stdout
