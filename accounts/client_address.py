"""The address of the client behind the reverse proxy, for the login lockout (django-axes).

Behind the README's proxy every request comes from the proxy's address; counting failed
logins by that address would let anyone lock a named user out for everybody. The proxy
says whom it forwards in a header (``X-Forwarded-For`` by default), but any client can
send that header too. So the header is read only when the request comes from a trusted
proxy (``settings.TRUSTED_PROXIES``), and only as far as the chain of trusted proxies
goes: walking the forwarded addresses from the right (the hop nearest to us), the first
address that is not a trusted proxy is the client. Whatever lies further left was written
by the client itself and is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.5:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or what trusted proxies forwarded for it.

    ``AXES_CLIENT_IP_CALLABLE`` points here.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.TRUSTED_PROXY_HEADER
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not header or not networks:
        return remote

    def trusted(address: Address | None) -> bool:
        return address is not None and any(address in network for network in networks)

    hop = _address(remote)
    if not trusted(hop):
        return remote
    forwarded = [part for part in request.META.get(_meta_key(header), "").split(",") if part.strip()]
    for part in reversed(forwarded):
        address = _address(part)
        if address is None:
            # A malformed entry: nothing to its left can be trusted; the last good hop stands.
            break
        hop = address
        if not trusted(address):
            break
    return str(hop)
