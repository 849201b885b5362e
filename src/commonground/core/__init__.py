"""Shared mechanisms every bounded context may import (ADR 0017).

Nothing here imports a bounded context: `core` is the lowest layer, below `imports`, `places`,
`organisations` and the rest. Each module is one mechanism: text embeddings, and (as they move
here) the page cache, upload and archive limits, the safe CSV writer and rate limits.
"""
