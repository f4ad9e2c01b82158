"""A self-signed certificate for https://localhost, so Instagram's https-only redirect URIs
work on a laptop (docs/instagram-setup.md#4-https-on-your-machine). Made with `cryptography`;
nothing else to install."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["DEFAULT_DIR", "DevCert", "ensure_dev_cert", "make_dev_cert", "write_dev_cert"]

DEFAULT_DIR = ".authcore-dev"
_VALIDITY = timedelta(days=397)  # the longest browsers accept for a leaf certificate
_RENEW_BEFORE = timedelta(days=7)


@dataclass(frozen=True)
class DevCert:
    cert_pem: bytes
    key_pem: bytes


def make_dev_cert(
    now: datetime, hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
) -> DevCert:
    """An ECDSA P-256 leaf for `hosts`, valid from one hour before `now` (clock skew)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "authcore development")])
    sans: list[x509.GeneralName] = []
    for host in hosts:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            sans.append(x509.DNSName(host))
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return DevCert(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


def write_dev_cert(directory: Path, now: datetime) -> tuple[Path, Path]:
    """Write `cert.pem` and `key.pem` (mode 0600) into `directory`; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    cert = make_dev_cert(now)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(cert.key_pem)
    os.chmod(key_path, 0o600)  # also when the file already existed with a wider mode
    cert_path.write_bytes(cert.cert_pem)
    return cert_path, key_path


def ensure_dev_cert(directory: Path, now: datetime) -> tuple[Path, Path]:
    """Reuse the certificate in `directory` while it is valid for another week, else make one."""
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    if cert_path.exists() and key_path.exists():
        try:
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            if cert.not_valid_after_utc - _RENEW_BEFORE > now:
                return cert_path, key_path
        except ValueError:
            pass
    return write_dev_cert(directory, now)
