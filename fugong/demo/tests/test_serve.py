"""`fugong serve` runs the production server with static files and no debug."""

import os
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_production_server_answers_pages_and_static_files(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUGONG_")}
    env.update(FUGONG_HOME=str(tmp_path), FUGONG_SECRET_KEY="s" * 50, FUGONG_DEBUG="0")
    server = subprocess.Popen(
        [sys.executable, "-m", "fugong.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5)
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.5)
        assert page.status == 200
        assert "登录" in page.read().decode()
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/fugong/app.css", timeout=5)
        assert css.status == 200
        assert b"--primary" in css.read()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)


def test_the_wsgi_application_loads_its_urls_and_hides_them_from_the_garbage_collector():
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUGONG_")}
    env.update(FUGONG_SECRET_KEY="s" * 50, FUGONG_DEBUG="0")
    probe = (
        "import gc, sys; import fugong.wsgi; "
        "print(gc.get_freeze_count(), 'fugong.health.api' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    frozen, loaded = out.stdout.split()
    assert loaded == "True"  # the views were loaded before the freeze, not on the first request
    assert int(frozen) > 50_000
