"""Client settings: where the API is, the token, timeouts, retries, TLS and checks.

A ``Configuration`` belongs to the clients it is given to; building one changes nothing global (no
logging levels, no ``http.client`` debug flags). Values not passed explicitly come from the
environment: ``SMSWORKS_TOKEN`` and ``SMSWORKS_BASE_URL``.
"""

from __future__ import annotations

import copy
import logging
import os
import ssl
import sys
import threading
from typing import Any, ClassVar, Dict, List, Optional, Tuple, Union

import urllib3

from .exceptions import ApiValueError

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_POOL_MAXSIZE",
    "DEFAULT_TIMEOUT",
    "Configuration",
    "TimeoutSetting",
]

DEFAULT_HOST = "https://api.thesmsworks.co.uk/v1"
#: (connect, read) in seconds. Connecting to a healthy API takes milliseconds; 5 s leaves room
#: for a slow DNS or TLS handshake. A 5,000-message batch is accepted in a few seconds; 60 s
#: bounds a stalled server without cutting off a slow but working one.
DEFAULT_TIMEOUT: Tuple[float, float] = (5.0, 60.0)

#: The largest response body read. A 5,000-message batch read back is about 2.5 MB; anything
#: near this is a broken or hostile server, and reading it would only exhaust memory.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024

#: A timeout as users give it: seconds for both phases, ``(connect, read)``, a ``urllib3.Timeout``,
#: or ``None`` for no timeout at all.
TimeoutSetting = Union[None, float, Tuple[Optional[float], Optional[float]], urllib3.Timeout]

#: Connections kept per host: enough for 32 threads sharing one client without reconnecting.
DEFAULT_POOL_MAXSIZE = 32

_ENV_TOKEN = "SMSWORKS_TOKEN"
_ENV_BASE_URL = "SMSWORKS_BASE_URL"
_AUTH_NAME = "JWT"

logger = logging.getLogger("openapi_client")


class Configuration:
    """Settings of an ``ApiClient``.

    Args:
        host: base URL of the API; default ``SMSWORKS_BASE_URL``, else the production API.
        api_key: ``{"JWT": token}``. The token may be given bare or as issued (``"JWT eyJ..."``);
            the header sent is always ``Authorization: JWT <token>``. Default:
            ``SMSWORKS_TOKEN``.
        api_key_prefix: accepted for compatibility (``{"JWT": "JWT"}``); the prefix sent is
            always ``JWT``.
        ssl_ca_cert: path of a CA bundle to verify the server with.
        ca_cert_data: PEM text of CA certificates to verify the server with.
        retries: an int (retries after the first try; 0 disables), a ``urllib3.Retry``, or
            ``None`` for the default policy (2 retries, never replaying a send that may have
            reached the server).
        debug: log every request and response (token redacted) to stderr.
        timeout: default timeout of every call (see ``TimeoutSetting``); per call, pass
            ``_request_timeout``.
        allow_insecure_http: allow sending the token over plain ``http://`` to a host that is not
            this machine. Off by default.
        client_side_validation: check the API's documented limits before sending (types are
            always checked).
        max_response_bytes: the largest response body read (64 MiB); ``None`` for no limit.
        verify_ssl: verify the server's TLS certificate (on by default; off warns).
        cert_file, key_file: a client certificate and its key, for TLS client authentication.
        assert_hostname, tls_server_name: the name the certificate must carry / the SNI name
            sent, when they differ from the host's.
        proxy, proxy_headers, proxy_ssl_context: an HTTP(S) proxy to send through, headers for
            it (e.g. ``Proxy-Authorization``), and the TLS context for an ``https://`` proxy.
        no_proxy: comma-separated hosts, domains (``.example.com``), IP networks or ``*`` that
            are reached directly, not through ``proxy``.
        socket_options: ``setsockopt`` triples for every new connection.
        safe_chars_for_path_param: characters left unencoded in path parameters (none by
            default).
        datetime_format, date_format: how ``datetime``/``date`` query parameters are written
            by ``ApiClient.param_serialize``.

    The other keyword arguments of openapi-generator's ``Configuration`` are accepted and kept
    (``username``, ``password``, ``access_token``, ``server_index``, ...); the API uses none.
    """

    _default: ClassVar[Optional[Configuration]] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        host: Optional[str] = None,
        api_key: Optional[Dict[str, str]] = None,
        api_key_prefix: Optional[Dict[str, str]] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        access_token: Optional[str] = None,
        server_index: Optional[int] = None,
        server_variables: Optional[Dict[str, str]] = None,
        server_operation_index: Optional[Dict[int, int]] = None,
        server_operation_variables: Optional[Dict[int, Dict[str, str]]] = None,
        ignore_operation_servers: bool = False,
        ssl_ca_cert: Optional[str] = None,
        retries: Union[int, urllib3.Retry, Any, None] = None,
        ca_cert_data: Optional[Union[str, bytes]] = None,
        cert_file: Optional[str] = None,
        key_file: Optional[str] = None,
        verify_ssl: bool = True,
        assert_hostname: Optional[Union[str, bool]] = None,
        tls_server_name: Optional[str] = None,
        connection_pool_maxsize: Optional[int] = None,
        proxy: Optional[str] = None,
        no_proxy: Optional[str] = None,
        proxy_headers: Optional[Dict[str, str]] = None,
        proxy_ssl_context: Optional[ssl.SSLContext] = None,
        safe_chars_for_path_param: str = "",
        client_side_validation: bool = True,
        socket_options: Optional[List[Tuple[int, int, int]]] = None,
        datetime_format: str = "%Y-%m-%dT%H:%M:%S.%f%z",
        date_format: str = "%Y-%m-%d",
        *,
        debug: Optional[bool] = None,
        timeout: TimeoutSetting = DEFAULT_TIMEOUT,
        allow_insecure_http: bool = False,
        normalize_uk_numbers: bool = True,
        duplicate_destinations: str = "error",
        max_response_bytes: Optional[int] = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        env_host = os.environ.get(_ENV_BASE_URL)
        self._base_path = (host or env_host or DEFAULT_HOST).rstrip("/")
        self.server_index = 0 if server_index is None and host is None else server_index
        self.server_variables = server_variables or {}
        self.server_operation_index = server_operation_index or {}
        self.server_operation_variables = server_operation_variables or {}
        self.ignore_operation_servers = ignore_operation_servers

        self.api_key: Dict[str, str] = dict(api_key) if api_key else {}
        if _AUTH_NAME not in self.api_key and os.environ.get(_ENV_TOKEN):
            self.api_key[_AUTH_NAME] = os.environ[_ENV_TOKEN]
        self.api_key_prefix: Dict[str, str] = dict(api_key_prefix) if api_key_prefix else {}
        self.refresh_api_key_hook: Any = None
        self.username = username
        self.password = password
        self.access_token = access_token

        self.verify_ssl = verify_ssl
        self.ssl_ca_cert = ssl_ca_cert
        self.ca_cert_data = ca_cert_data
        self.cert_file = cert_file
        self.key_file = key_file
        self.assert_hostname = assert_hostname
        self.tls_server_name = tls_server_name
        self.proxy = proxy
        self.proxy_headers = proxy_headers
        self.proxy_ssl_context = proxy_ssl_context
        self.no_proxy = no_proxy
        self.socket_options = socket_options
        self.connection_pool_maxsize = (
            DEFAULT_POOL_MAXSIZE if connection_pool_maxsize is None else connection_pool_maxsize
        )
        self.max_response_bytes = max_response_bytes
        self.safe_chars_for_path_param = safe_chars_for_path_param

        self.retries = retries
        self.timeout = timeout
        self.allow_insecure_http = allow_insecure_http
        self.client_side_validation = client_side_validation
        self.normalize_uk_numbers = normalize_uk_numbers
        self.duplicate_destinations = duplicate_destinations

        self.datetime_format = datetime_format
        self.date_format = date_format
        self.logger_format = "%(asctime)s %(levelname)s %(name)s: %(message)s"
        self._debug = False
        if debug is not None:
            self.debug = debug

    # -- host -------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """The base URL every path is appended to."""
        return self._base_path

    @host.setter
    def host(self, value: str) -> None:
        self._base_path = value.rstrip("/")
        self.server_index = None

    def get_host_settings(self) -> List[Dict[str, Any]]:
        """The servers ``_host_index`` chooses from: one, the configured ``host``.

        openapi-generator's clients list the document's servers here, so ``_host_index=0`` could
        send to the production API while ``host`` points at a test server. Only the host the user
        configured (the production API by default) is ever offered.
        """
        return [{"url": self._base_path, "description": "The configured host", "variables": {}}]

    def get_host_from_settings(
        self,
        index: Optional[int],
        variables: Optional[Dict[str, str]] = None,
        servers: Optional[List[Dict[str, Any]]] = None,
    ) -> str:
        """The URL of server ``index``; ``None`` gives the configured ``host``."""
        if index is None:
            return self._base_path
        servers = self.get_host_settings() if servers is None else servers
        if not 0 <= index < len(servers):
            raise ApiValueError(
                f"invalid host index {index}: must be less than {len(servers)}", ["_host_index"]
            )
        return str(servers[index]["url"]).rstrip("/")

    # -- auth -------------------------------------------------------------------------------

    def get_api_key_with_prefix(
        self, identifier: str, alias: Optional[str] = None
    ) -> Optional[str]:
        """The ``Authorization`` value for ``identifier`` (``"JWT"``): always ``JWT <token>``.

        The SMS Works issues tokens that already start with ``JWT ``, the upstream examples set
        ``api_key_prefix['JWT'] = 'JWT'``, and some users paste ``Bearer``: every form gives one
        ``JWT`` prefix, never two.
        """
        if self.refresh_api_key_hook is not None:
            self.refresh_api_key_hook(self)
        key = self.api_key.get(identifier, self.api_key.get(alias) if alias else None)
        if key is None:
            return None
        return jwt_header_value(key)

    def auth_settings(self) -> Dict[str, Dict[str, Any]]:
        """Authentication settings in openapi-generator's shape."""
        value = self.get_api_key_with_prefix(_AUTH_NAME)
        if value is None:
            return {}
        return {
            _AUTH_NAME: {"type": "api_key", "in": "header", "key": "Authorization", "value": value}
        }

    # -- logging ----------------------------------------------------------------------------

    @property
    def debug(self) -> bool:
        """When true, requests and responses are logged to stderr (the token is never shown)."""
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        # Nothing global changes: no handler is added to any logger and no level is set, so
        # one configuration's debug output neither piles up with nor silences another's.
        # http.client's debuglevel is never set: it prints headers, token included, to stdout.
        self._debug = bool(value)

    # -- defaults ---------------------------------------------------------------------------

    @classmethod
    def set_default(cls, default: Optional[Configuration]) -> None:
        """Make ``default`` the configuration of clients built without one."""
        with cls._default_lock:
            cls._default = default

    @classmethod
    def get_default(cls) -> Configuration:
        """The default configuration (built from the environment on first use)."""
        with cls._default_lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    @classmethod
    def get_default_copy(cls) -> Configuration:
        """A copy of the default configuration."""
        return copy.deepcopy(cls.get_default())

    def __deepcopy__(self, memo: Dict[int, Any]) -> Configuration:
        new = self.__class__.__new__(self.__class__)
        memo[id(self)] = new
        for name, value in self.__dict__.items():
            new.__dict__[name] = copy.deepcopy(value, memo)
        new._debug = False
        return new

    def to_debug_report(self) -> str:
        """Versions of the pieces, for bug reports (no secrets)."""
        from . import __version__

        return (
            f"Python SDK Debug Report:\nOS: {sys.platform}\nPython Version: {sys.version}\n"
            f"Version of the API: 1.9.0\nSDK Package Version: {__version__}\n"
            f"urllib3: {getattr(urllib3, '__version__', '?')}"
        )

    def __repr__(self) -> str:
        token = "set" if self.api_key.get(_AUTH_NAME) else "not set"
        return f"Configuration(host={self._base_path!r}, token={token})"

    __str__ = __repr__


_debug_lock = threading.Lock()
_formatters: Dict[str, logging.Formatter] = {}


def _write_debug(fmt: str, record: logging.LogRecord) -> None:
    """Write ``record`` to the current ``sys.stderr`` (looked up per line: tests swap it)."""
    with _debug_lock:
        formatter = _formatters.get(fmt)
        if formatter is None:
            if len(_formatters) > 32:
                _formatters.clear()
            formatter = _formatters[fmt] = logging.Formatter(fmt)
        try:
            sys.stderr.write(formatter.format(record) + "\n")
            sys.stderr.flush()
        except (OSError, ValueError):  # stderr closed or gone: debug output is best effort
            pass


def client_log(config: Configuration, level: int, msg: str, *args: Any) -> None:
    """Log a line of a client's work, token redacted.

    It goes to the package logger as usual (shown where the application's logging setup says),
    and, when ``config.debug`` is on, straight to stderr as well, in ``config.logger_format``:
    no handler is attached to any logger, so only clients that asked for debug output print it.
    """
    debug = config.debug
    if not debug and not logger.isEnabledFor(level):
        return
    from ._redact import redact

    text = redact(msg % args if args else msg)
    if logger.isEnabledFor(level):
        logger.log(level, "%s", text)
    if debug:
        record = logger.makeRecord(logger.name, level, "(client)", 0, text, (), None)
        _write_debug(config.logger_format, record)


def jwt_header_value(token: str) -> str:
    """``Authorization`` header value for a token given in any of the accepted forms.

    Raises:
        ApiValueError: the token is empty, or holds spaces or control characters inside it
            (CR/LF would let it inject headers). Leading and trailing whitespace is removed.
    """
    # Surrounding whitespace is a copy-paste artefact (a token read from a file ends with a
    # newline); only what is inside the token is checked.
    token = token.strip()
    words = token.split()
    if words and words[0].lower() in ("jwt", "bearer"):
        words = words[1:]
    if not words:
        raise ApiValueError("the token is empty", ["api_key", _AUTH_NAME])
    bare = words[0]
    # JWTs are base64url text: anything outside ASCII is a copy-paste accident, and could not be
    # sent in a header as written.
    if len(words) > 1 or not bare.isprintable() or not token.isprintable() or not bare.isascii():
        raise ApiValueError(
            "the token holds spaces or control characters; copy it again from the account page",
            ["api_key", _AUTH_NAME],
        )
    return f"JWT {bare}"
