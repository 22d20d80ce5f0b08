"""Requests as they reach the application directly or through reverse proxies, with the
X-Forwarded-For header built exactly as the proxies build it.

nginx's `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` appends the address
it received the connection from to whatever header came in (or sends that address alone
when none came in); a load balancer in front of nginx does the same. So a client may put
anything at the LEFT of the header, and only the right-most entries are proxies' words.
"""

from dataclasses import dataclass

# Proxies' addresses as seen by the next hop: private ranges, in TRUSTED_PROXIES by default.
LOAD_BALANCER = "10.0.0.2"
NGINX = "10.0.0.3"


@dataclass(frozen=True)
class Network:
    name: str
    proxies: tuple[str, ...]  # from the client towards the application

    def meta(self, client: str, *, forged: str | None = None) -> dict:
        """The META of a request from `client`, who sends `X-Forwarded-For: forged` if set."""
        header, peer = forged, client
        for proxy in self.proxies:
            header = f"{header}, {peer}" if header else peer
            peer = proxy
        meta = {"REMOTE_ADDR": peer}
        if header:
            meta["HTTP_X_FORWARDED_FOR"] = header
        return meta


DIRECT = Network("direct", ())
BEHIND_NGINX = Network("nginx", (NGINX,))
BEHIND_LOAD_BALANCER = Network("load_balancer", (LOAD_BALANCER, NGINX))
NETWORKS = (DIRECT, BEHIND_NGINX, BEHIND_LOAD_BALANCER)


def configure(settings, network: Network) -> None:
    """The settings a deployment on `network` uses (BEHIND_PROXY, TRUSTED_PROXY_COUNT)."""
    settings.BEHIND_PROXY = bool(network.proxies)
    settings.TRUSTED_PROXY_COUNT = len(network.proxies)
