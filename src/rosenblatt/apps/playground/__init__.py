"""``rosenblatt playground``: the cost-landscape explorer, a local web page where the library's optimizers race.

    rosenblatt playground [--port 8000] [--host 127.0.0.1] [--no-browser]

Needs the ``playground`` extra (FastAPI and uvicorn): ``pip install -e ".[playground]"`` from the checkout.
The page works offline: every file it loads is served from this package. See :mod:`.server` for the API.
"""

from __future__ import annotations


def add_parser(sub):
    p = sub.add_parser("playground", help="the cost-landscape explorer: optimizers racing on J(w1, w2), in a browser",
                       description="Start the cost-landscape explorer on a local web server and open it in the "
                                   "browser (needs the playground extra). Stop it with Ctrl+C.")
    p.add_argument("--port", type=int, default=8000, help="the port to listen on (0: any free port)")
    p.add_argument("--host", default="127.0.0.1", help="the address to bind (loopback keeps it on this machine)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=serve)
    return p


def serve(args) -> int:
    """Run the app on uvicorn until interrupted; open the browser once the server is listening."""
    from rosenblatt.apps import CommandError

    if not 0 <= args.port <= 65535:
        raise CommandError(f"--port must be in 0 … 65535, got {args.port}")
    try:
        import uvicorn

        from .server import create_app
    except ImportError as error:
        from rosenblatt.extras import install_hint

        raise ImportError(f"{error.name or error} is missing: the playground needs its extra, "
                          + install_hint("playground")) from None
    config = uvicorn.Config(create_app(), host=args.host, port=args.port, log_level="warning")
    server = uvicorn.Server(config)
    if not args.no_browser:
        _open_when_ready(server, args.host)
    print(f"rosenblatt playground: starting on http://{_shown(args.host)}:{args.port}/ (Ctrl+C stops it)", flush=True)
    server.run()
    return 0


def _shown(host):
    return "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)


def _open_when_ready(server, host):
    import threading
    import time
    import webbrowser

    def wait_and_open():
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        webbrowser.open(f"http://{_shown(host)}:{port}/")

    threading.Thread(target=wait_and_open, daemon=True).start()
