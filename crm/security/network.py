"""The client's address: the one function that login throttling (django-axes, through
AXES_CLIENT_IP_CALLABLE), the public form's rate limit and the access log all ask.

Directly exposed (TRUSTED_PROXY_COUNT = 0, the default without BEHIND_PROXY), the client is
the TCP peer, REMOTE_ADDR; X-Forwarded-For is ignored, since anyone can send it.

Behind TRUSTED_PROXY_COUNT reverse proxies, each proxy appends the address it received the
connection from to X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`), after whatever the
client sent. So the client is the TRUSTED_PROXY_COUNT-th entry from the RIGHT: entries further
left were written by the client and prove nothing. The header is read only when the peer is
one of TRUSTED_PROXIES; a client reaching the application directly gets its own address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(value: str) -> Address | None:
    """An address as a proxy writes it: bare, or with a port (`1.2.3.4:5678`,
    `[2001:db8::1]:443`), as some load balancers do. None for anything else."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:203.0.113.7) is that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: Address | None) -> bool:
    if address is None:
        return False
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str | None:
    """The address of the client that sent `request`, as text; None without a request or
    when the peer's address is not an IP address (a misconfigured server)."""
    if request is None:
        return None
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    if count < 1 or not is_trusted_proxy(peer):
        return str(peer)
    # Several headers are joined with commas by the WSGI server, in the order received.
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    if not forwarded:
        # A proxy that adds no header (a health check from the proxy itself).
        return str(peer)
    # Fewer entries than proxies: the request went through fewer of them (an inner proxy
    # reached directly); the left-most entry is then the one the first proxy wrote.
    chosen = _parse(forwarded[-count] if len(forwarded) >= count else forwarded[0])
    # Garbage where a proxy should have written an address: count the proxy itself, so
    # that such requests share one throttle instead of escaping it.
    return str(chosen if chosen is not None else peer)
