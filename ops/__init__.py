"""What runs heishi and what people act on: CLI, scheduler, digest, takedown requests.

Nothing imports ``ops``.
"""
