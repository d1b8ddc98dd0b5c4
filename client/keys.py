"""Site identity keys for SuperNode authentication (flwr 1.41).

flwr 1.41 authenticates a SuperNode by an EC key pair on a NIST curve: the SuperNode signs its requests with
the private key given by `flower-supernode --auth-supernode-private-key` (OpenSSH private-key format), and the
SuperLink (started with `--enable-supernode-auth`) only accepts nodes whose public key (OpenSSH format) was
registered through the Control API (`flwr supernode register`). We write exactly those formats:
`site.key` (0600) and `site.pub`. The private key never leaves the site; only `site.pub` goes to the
coordinator (`medfl-server add-site NAME site.pub`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from medfl.core_model.errors import MedflError

PRIVATE_KEY, PUBLIC_KEY = "site.key", "site.pub"
_NIST = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)


def generate_site_keys(
    out_dir: Path, *, comment: str = "medfl-site", overwrite: bool = False
) -> tuple[Path, Path]:
    """Write `site.key` (OpenSSH, 0600) and `site.pub` into `out_dir`; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    priv_path, pub_path = out_dir / PRIVATE_KEY, out_dir / PUBLIC_KEY
    if priv_path.exists() and not overwrite:
        raise MedflError(f"{priv_path}: a site key already exists (pass --force to replace it)")
    key = ec.generate_private_key(ec.SECP384R1())
    priv = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    fd = os.open(priv_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(priv)
    pub = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    pub_path.write_bytes(pub + f" {comment}\n".encode())
    return priv_path, pub_path


def load_public_key(path: Path) -> ec.EllipticCurvePublicKey:
    """Load and check an OpenSSH EC public key as flwr's node registration does."""
    path = Path(path)
    if not path.is_file():
        raise MedflError(f"{path}: public key file not found")
    try:
        key = serialization.load_ssh_public_key(path.read_bytes().strip())
    except (ValueError, UnsupportedAlgorithm) as e:
        raise MedflError(f"{path}: not an OpenSSH public key ({e.__class__.__name__})") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, _NIST):
        raise MedflError(f"{path}: must be an EC key on a NIST curve (create one with `medfl-client keys`)")
    return key


def check_private_key(path: Path) -> None:
    """Fail early (before starting a SuperNode) if the site key is unusable."""
    path = Path(path)
    if not path.is_file():
        raise MedflError(f"{path}: site private key not found (create one with `medfl-client keys`)")
    try:
        key = serialization.load_ssh_private_key(path.read_bytes(), None)
    except (ValueError, UnsupportedAlgorithm, TypeError) as e:
        raise MedflError(f"{path}: not an unencrypted OpenSSH private key ({e.__class__.__name__})") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise MedflError(f"{path}: must be an EC private key (create one with `medfl-client keys`)")


def fingerprint(key: ec.EllipticCurvePublicKey) -> str:
    """Short SHA-256 fingerprint of a public key, for logs and the site registry."""
    raw = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return "SHA256:" + hashlib.sha256(raw).hexdigest()[:16]
