"""A headless Streamlit client: one browser tab's worth of the websocket protocol.

The load script (benchmarks/load_workshop.py) runs 150 of these at once. Each speaks the
protocol the browser speaks to `/_stcore/stream`: it asks for a page, reads the elements the
script sends back, changes a widget's value (what a person does when they leave a field),
uploads a file through `/_stcore/upload_file`, and fetches a deferred download. It carries
the session cookie exactly as the browser does, so sign-in, roles and access checks run for
real. Only loopback use: it is a measuring tool, not a crawler.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# Element types whose protos carry a widget id and a label.
WIDGETS = ("text_input", "text_area", "number_input", "selectbox", "checkbox", "button",
           "download_button", "file_uploader", "multiselect", "radio", "toggle", "date_input")


@dataclass
class Widget:
    kind: str
    id: str
    label: str
    proto: object


@dataclass
class RunResult:
    """What one script run sent back."""
    seconds: float
    status: str
    widgets: dict[str, Widget] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # st.error / exception elements
    exceptions: list[str] = field(default_factory=list)

    def widget(self, label: str | None, kind: str | None = None) -> Widget:
        for w in self.widgets.values():
            if (label is None or w.label == label) and (kind is None or w.kind == kind):
                return w
        raise LookupError(f"no widget labelled {label!r} ({len(self.widgets)} widgets on the "
                          f"page: {sorted(w.label for w in self.widgets.values())[:20]})")


class ProtocolError(RuntimeError):
    pass


def _http(method: str, url: str, *, headers: dict[str, str] | None = None,
          body: bytes | None = None, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


class Client:
    """One tab: `await Client.open(...)`, then `goto`, `set_value`, `click`, `upload`..."""

    def __init__(self, base_url: str, cookie: str):
        self.base_url = base_url.rstrip("/")
        self.cookies = {"isc_session": cookie} if cookie else {}
        self.ws = None
        self.session_id = ""
        self.page = ""
        self.last: RunResult | None = None
        # Like the browser, every rerun carries the values this tab has given its widgets
        # (an uploaded file, text typed); a button press is sent once.
        self.states: dict[str, WidgetState] = {}
        self._pending: dict[str, asyncio.Future] = {}
        self._reader: asyncio.Task | None = None
        self._run_done: asyncio.Future | None = None
        self._current: RunResult | None = None

    @property
    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def open(self) -> None:
        # The health check sets the XSRF cookie the browser then repeats on the websocket and
        # on uploads.
        status, headers, _ = await asyncio.to_thread(
            _http, "GET", self.base_url + "/_stcore/health",
            headers={"Cookie": self._cookie_header})
        if status != 200:
            raise ProtocolError(f"the health check answered {status}")
        for part in headers.get("set-cookie", "").split(","):
            name, _, rest = part.strip().partition("=")
            if name == "_streamlit_xsrf":
                self.cookies["_streamlit_xsrf"] = rest.split(";")[0]
        xsrf = self.cookies.get("_streamlit_xsrf", "")
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(
            ws_url, additional_headers={"Cookie": self._cookie_header},
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            max_size=64 * 2**20, open_timeout=30, ping_interval=None)
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
                pass

    # --- reading -------------------------------------------------------------------------

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            error = ProtocolError("the connection closed")
            for future in [self._run_done, *self._pending.values()]:
                if future is not None and not future.done():
                    future.set_exception(error)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        run = self._current
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
        elif kind == "delta" and run is not None:
            delta = msg.delta
            if delta.WhichOneof("type") == "new_element":
                self._element(run, delta.new_element)
        elif kind == "script_finished" and run is not None:
            status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
            if status != "FINISHED_EARLY_FOR_RERUN" and self._run_done and \
                    not self._run_done.done():
                run.status = status
                self._run_done.set_result(run)
        elif kind == "page_not_found" and run is not None:
            run.errors.append(f"page not found: {msg.page_not_found.page_name}")
        elif kind == "file_urls_response":
            future = self._pending.pop(msg.file_urls_response.response_id, None)
            if future and not future.done():
                future.set_result(msg.file_urls_response)
        elif kind == "backend_operation_response":
            future = self._pending.pop(msg.backend_operation_response.request_id, None)
            if future and not future.done():
                future.set_result(msg.backend_operation_response)

    @staticmethod
    def _element(run: RunResult, element) -> None:
        kind = element.WhichOneof("type")
        if kind in WIDGETS:
            proto = getattr(element, kind)
            wid = getattr(proto, "id", "")
            if wid:
                run.widgets[wid] = Widget(kind, wid, getattr(proto, "label", ""), proto)
        elif kind == "markdown":
            run.texts.append(element.markdown.body)
        elif kind == "alert":
            run.texts.append(element.alert.body)
            if element.alert.format == 1:  # ERROR
                run.errors.append(element.alert.body)
        elif kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "heading":
            run.texts.append(element.heading.body)
        elif kind == "toast":
            run.texts.append(element.toast.body)

    # --- running the script ----------------------------------------------------------------

    async def _rerun(self, states: list[WidgetState], page: str | None = None,
                     timeout: float = 60) -> RunResult:
        if page is not None and page != self.page:
            self.page = page
            self.states.clear()
        kept = {w: s for w, s in self.states.items()
                if self.last is None or w in self.last.widgets}
        for state in states:
            if state.WhichOneof("value") != "trigger_value":
                kept[state.id] = state
        self.states = kept
        msg = BackMsg()
        client_state = msg.rerun_script
        client_state.query_string = ""
        client_state.page_name = self.page
        client_state.widget_states.widgets.extend(
            [*kept.values(), *[s for s in states if s.id not in kept]])
        client_state.context_info.timezone = "UTC"
        client_state.context_info.locale = "en-US"
        client_state.context_info.url = f"{self.base_url}/{self.page}"
        loop = asyncio.get_running_loop()
        self._current = RunResult(seconds=0.0, status="")
        self._run_done = loop.create_future()
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = await asyncio.wait_for(self._run_done, timeout)
        run.seconds = time.perf_counter() - start
        self.last = run
        return run

    async def goto(self, page: str) -> RunResult:
        return await self._rerun([], page=page)

    async def rerun(self) -> RunResult:
        return await self._rerun([])

    async def set_value(self, widget: Widget, value) -> RunResult:
        state = WidgetState(id=widget.id)
        if isinstance(value, bool):
            state.bool_value = value
        elif isinstance(value, int | float) and widget.kind == "number_input":
            state.double_value = float(value)
        else:
            state.string_value = str(value)
        return await self._rerun([state])

    async def click(self, widget: Widget) -> RunResult:
        return await self._rerun([WidgetState(id=widget.id, trigger_value=True)])

    async def upload(self, widget: Widget, name: str, data: bytes, mime: str) -> RunResult:
        """Upload one file into a file_uploader, as the browser does, then rerun."""
        request_id = uuid.uuid4().hex
        future = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        msg = BackMsg()
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.file_names.append(name)
        msg.file_urls_request.session_id = self.session_id
        await self.ws.send(msg.SerializeToString())
        response = await asyncio.wait_for(future, 30)
        if response.error_msg:
            raise ProtocolError(response.error_msg)
        urls = response.file_urls[0]
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{name}\"\r\nContent-Type: {mime}\r\n\r\n").encode() + data + \
            f"\r\n--{boundary}--\r\n".encode()
        upload_url = urls.upload_url if urls.upload_url.startswith("http") else \
            self.base_url + urls.upload_url
        status, _, text = await asyncio.to_thread(
            _http, "PUT", upload_url, body=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                     "X-Xsrftoken": self.cookies.get("_streamlit_xsrf", ""),
                     "Cookie": self._cookie_header})
        if status not in (200, 204):
            raise ProtocolError(f"upload answered {status}: {text[:200]!r}")
        state = WidgetState(id=widget.id)
        info = FileUploaderState().uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        state.file_uploader_state_value.uploaded_file_info.append(info)
        return await self._rerun([state])

    async def download(self, widget: Widget, timeout: float = 120) -> bytes:
        """Press a download button whose file is built on click; return the file."""
        file_id = widget.proto.deferred_file_id
        if not file_id:
            raise ProtocolError(f"{widget.label!r} has no deferred file")
        request_id = uuid.uuid4().hex
        future = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        msg = BackMsg()
        msg.backend_operation_request.request_id = request_id
        msg.backend_operation_request.session_id = self.session_id
        msg.backend_operation_request.deferred_file.file_id = file_id
        await self.ws.send(msg.SerializeToString())
        response = await asyncio.wait_for(future, timeout)
        if response.error_msg:
            raise ProtocolError(response.error_msg)
        url = response.deferred_file.url
        status, _, data = await asyncio.to_thread(
            _http, "GET", url if url.startswith("http") else self.base_url + url,
            headers={"Cookie": self._cookie_header})
        if status != 200:
            raise ProtocolError(f"download answered {status}")
        return data


def describe(run: RunResult) -> str:
    return json.dumps({"status": run.status, "errors": run.errors,
                       "exceptions": run.exceptions, "widgets": len(run.widgets)})
