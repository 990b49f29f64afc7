"""What a trusted reverse proxy in front of gunicorn tells us (ARCHIVE_BEHIND_PROXY=true)."""


def client_ip(request):
    """The client's address for login rate limiting: behind one trusted proxy, the address it
    appended last to X-Forwarded-For (earlier entries come from the client and can be forged)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-1] if hops else request.META.get("REMOTE_ADDR")
