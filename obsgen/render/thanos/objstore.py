"""The object storage configuration every Thanos component that touches blocks reads
(`--objstore.config-file`; format: thanos-io/thanos docs/storage.md). Credentials never appear:
S3 and GCS read them from the environment or the instance's identity at run time."""
from __future__ import annotations

from urllib.parse import urlsplit

# S3's endpoint when the URL names none (assumed: AWS); `s3://bucket@endpoint` names one.
S3_ENDPOINT = "s3.amazonaws.com"


def bucket_config(url: str) -> dict:
    """s3://bucket[@endpoint], gs://bucket, or file:///directory (tests, local runs)."""
    parts = urlsplit(url)
    if parts.scheme == "s3":
        bucket, _, endpoint = parts.netloc.partition("@")
        return {"type": "S3", "config": {"bucket": bucket, "endpoint": endpoint or S3_ENDPOINT}}
    if parts.scheme == "gs":
        return {"type": "GCS", "config": {"bucket": parts.netloc}}
    if parts.scheme == "file":
        return {"type": "FILESYSTEM", "config": {"directory": parts.path}}
    raise ValueError(f"object storage URL must be s3://, gs:// or file://, got {url!r}")
