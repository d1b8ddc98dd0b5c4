"""TLS material for a medfl federation: a private CA and a SuperLink server certificate.

Design choices:
- Pure `cryptography` (already a flwr dependency): no openssl shell-outs, works the same everywhere.
- ECDSA P-384 keys, SHA-384 signatures: small, fast, accepted by gRPC/httpx and by flwr's TLS checks.
- The server certificate always carries SANs for `localhost` and `127.0.0.1` (loopback demo and tests) plus
  every hostname/IP the coordinator is reachable under; modern TLS clients ignore the CN.
- Private keys are written with mode 0600; an existing CA is reused so adding a hostname does not force every
  site to fetch a new `ca.crt`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

CA_CERT, CA_KEY = "ca.crt", "ca.key"
SERVER_CERT, SERVER_KEY = "server.pem", "server.key"


@dataclass(frozen=True)
class CertPaths:
    ca_cert: Path
    ca_key: Path
    server_cert: Path
    server_key: Path

    @classmethod
    def in_dir(cls, d: Path) -> CertPaths:
        d = Path(d)
        return cls(d / CA_CERT, d / CA_KEY, d / SERVER_CERT, d / SERVER_KEY)

    def require(self) -> None:
        for p in (self.ca_cert, self.server_cert, self.server_key):
            if not p.is_file():
                raise MedflError(f"{p}: TLS file missing; run `medfl-server certs --out {p.parent}` first")


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)


def _san_entries(hostnames: list[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    seen: set[str] = set()
    for h in ["localhost", "127.0.0.1", *hostnames]:
        h = h.strip()
        if not h or h in seen:
            continue
        seen.add(h)
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            names.append(x509.DNSName(h))
    return names


def generate_certs(
    out_dir: Path, *, hostnames: list[str] | None = None, days: int = 365, federation: str = "medfl"
) -> CertPaths:
    """Create (or reuse) the federation CA and issue a fresh SuperLink server certificate.

    Args:
        out_dir: directory for ca.crt/ca.key/server.pem/server.key (created).
        hostnames: extra DNS names or IPs of the coordinator (localhost and 127.0.0.1 are always included).
        days: validity of the server certificate (the CA gets 10x).
        federation: name written into the certificate subjects.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = CertPaths.in_dir(out_dir)
    now = dt.datetime.now(dt.UTC)

    if paths.ca_cert.is_file() and paths.ca_key.is_file():
        ca_cert = x509.load_pem_x509_certificate(paths.ca_cert.read_bytes())
        ca_key = serialization.load_pem_private_key(paths.ca_key.read_bytes(), password=None)
        if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
            raise MedflError(f"{paths.ca_key}: not an EC private key")
        log.info("reusing CA %s", paths.ca_cert)
    else:
        ca_key = ec.generate_private_key(ec.SECP384R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{federation} federation CA")])
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=10 * days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                    key_encipherment=False, data_encipherment=False, key_agreement=False,
                    encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA384())
        )
        _write_key(paths.ca_key, ca_key)
        paths.ca_cert.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))

    server_key = ec.generate_private_key(ec.SECP384R1())
    sans = _san_entries(hostnames or [])
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{federation} superlink")]))
        .issuer_name(ca_cert.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA384())
    )
    _write_key(paths.server_key, server_key)
    # Leaf then CA: clients that only trust the CA still validate the chain.
    paths.server_cert.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    log.info("wrote %s (SANs: %s)", paths.server_cert, ", ".join(str(s.value) for s in sans))
    return paths


def certificate_sans(cert_path: Path) -> list[str]:
    """SAN values of a PEM certificate (used by tests and `medfl-server status`)."""
    cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return [str(v.value) for v in ext]
