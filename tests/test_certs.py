"""TLS certificates, site keys and the federation config: fast unit tests (no processes)."""

from __future__ import annotations

import ssl
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from medfl.client.keys import check_private_key, fingerprint, generate_site_keys, load_public_key
from medfl.client.supernode import JoinConfig
from medfl.core_model.errors import MedflError
from medfl.server.certs import certificate_sans, generate_certs
from medfl.server.federation import load_federation_config
from medfl.server.superlink import add_site, list_sites, superlink_command, write_app_dir

REPO = Path(__file__).resolve().parents[1]


def test_certs_chain_sans_and_key_modes(tmp_path):
    paths = generate_certs(tmp_path / "c", hostnames=["coord.hospital.example", "10.1.2.3"])
    sans = certificate_sans(paths.server_cert)
    assert {"localhost", "127.0.0.1", "coord.hospital.example", "10.1.2.3"} <= set(sans)
    ca = x509.load_pem_x509_certificate(paths.ca_cert.read_bytes())
    leaf = x509.load_pem_x509_certificate(paths.server_cert.read_bytes())
    assert leaf.issuer == ca.subject
    leaf.verify_directly_issued_by(ca)  # raises if the signature does not verify
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    for key in (paths.ca_key, paths.server_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    # the stdlib TLS stack accepts the pair and verifies the hostname against the CA
    ctx = ssl.create_default_context(cafile=str(paths.ca_cert))
    srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    srv.load_cert_chain(paths.server_cert, paths.server_key)
    assert ctx.verify_mode == ssl.CERT_REQUIRED


def test_certs_reuse_ca_and_reissue_server(tmp_path):
    a = generate_certs(tmp_path)
    ca1, srv1 = a.ca_cert.read_bytes(), a.server_cert.read_bytes()
    b = generate_certs(tmp_path, hostnames=["new-name"])
    assert b.ca_cert.read_bytes() == ca1  # sites keep their ca.crt
    assert b.server_cert.read_bytes() != srv1 and "new-name" in certificate_sans(b.server_cert)


def test_site_keys_format_flwr_accepts(tmp_path):
    from flwr.cli.supernode.register import try_load_public_key

    priv, pub = generate_site_keys(tmp_path)
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600
    assert pub.read_text().startswith("ecdsa-sha2-nistp384 ")
    check_private_key(priv)
    key = load_public_key(pub)
    assert isinstance(key, ec.EllipticCurvePublicKey) and fingerprint(key).startswith("SHA256:")
    assert b"BEGIN PUBLIC KEY" in try_load_public_key(pub)  # flwr's own `supernode register` loader
    with pytest.raises(MedflError, match="already exists"):
        generate_site_keys(tmp_path)


def test_bad_keys_rejected(tmp_path):
    ed = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x"
    (tmp_path / "x.pub").write_text(ed)
    with pytest.raises(MedflError, match="NIST"):
        load_public_key(tmp_path / "x.pub")
    (tmp_path / "y.pub").write_text("not a key")
    with pytest.raises(MedflError, match="not an OpenSSH public key"):
        load_public_key(tmp_path / "y.pub")
    with pytest.raises(MedflError, match="not found"):
        check_private_key(tmp_path / "missing.key")


def test_add_site_registry(tmp_path):
    _, pub_a = generate_site_keys(tmp_path / "a")
    _, pub_b = generate_site_keys(tmp_path / "b")
    add_site(tmp_path / "state", "hosp-a", pub_a)
    add_site(tmp_path / "state", "hosp-b", pub_b)
    assert sorted(list_sites(tmp_path / "state")) == ["hosp-a", "hosp-b"]
    with pytest.raises(MedflError, match="already registered as site 'hosp-a'"):
        add_site(tmp_path / "state", "other", pub_a)
    with pytest.raises(MedflError, match="site name"):
        add_site(tmp_path / "state", "../evil", pub_b)


def test_federation_config_example_and_overrides(tmp_path):
    fed = load_federation_config(REPO / "deploy" / "federation.example.toml", run__num_rounds=7,
                                 superlink__port=9999)
    assert fed.run.num_rounds == 7 and fed.superlink.port == 9999 and fed.run.strategy == "nesterov"
    assert fed.superlink.state_path == (REPO / "deploy" / "work" / "federation").resolve()
    rc = fed.run_config(state_dir=tmp_path, tokenizer_path=tmp_path / "t.model", resume=True)
    assert rc["num-rounds"] == 7 and rc["resume"] is True and rc["state-dir"] == str(tmp_path)
    assert "tokenizer" not in rc and rc["tokenizer-path"].endswith("t.model")
    bad = tmp_path / "bad.toml"
    bad.write_text("[run]\nnum-round = 3\n")
    with pytest.raises(MedflError, match="unknown key \\[run\\] 'num-round'"):
        load_federation_config(bad)
    bad.write_text('[run]\nstrategy = "fedsgd"\n')
    with pytest.raises(MedflError, match="strategy"):
        load_federation_config(bad)
    bad.write_text('[superlink]\nport = "x"\n')
    with pytest.raises(MedflError, match="port must be a int"):
        load_federation_config(bad)


def test_superlink_command_secure_by_default(tmp_path):
    fed = load_federation_config(None, superlink__state_dir=str(tmp_path))
    with pytest.raises(MedflError, match="TLS file missing"):
        superlink_command(fed.superlink)
    generate_certs(tmp_path / "certs")
    cmd = superlink_command(fed.superlink)
    assert "--enable-supernode-auth" in cmd and "--ssl-certfile" in cmd and "--insecure" not in cmd
    assert "--disable-runtime-dependency-installation" in cmd
    fed.superlink.insecure = True
    assert "--insecure" in superlink_command(fed.superlink)


def test_app_dir_is_config_only_and_builds(tmp_path):
    from flwr.cli.build import build_fab_from_disk
    from flwr.common.config import get_fab_config

    rc = {"num-rounds": 3, "lr": 0.001, "resume": False, "state-dir": "/x y"}
    app = write_app_dir(tmp_path / "app", rc)
    assert [p.name for p in app.iterdir()] == ["pyproject.toml"]
    cfg = get_fab_config(build_fab_from_disk(app))
    comp = cfg["tool"]["flwr"]["app"]["components"]
    assert comp == {"serverapp": "medfl.server.app:app", "clientapp": "medfl.client.app:app"}
    assert cfg["tool"]["flwr"]["app"]["config"] == {"num-rounds": 3, "lr": 0.001, "resume": False,
                                                    "state-dir": "/x y"}


def test_join_node_config_is_site_local(tmp_path):
    cfg = JoinConfig(superlink="coord:9092", data=tmp_path / "data", site_id="hosp-a")
    nc = cfg.node_config()
    assert f'data-path="{(tmp_path / "data").resolve()}"' in nc and 'site-id="hosp-a"' in nc
    assert "work-dir=" in nc and 'device="auto"' in nc
    with pytest.raises(MedflError, match="HOST:PORT"):
        JoinConfig(superlink="coord", data=tmp_path)
    with pytest.raises(MedflError, match="must not contain"):
        JoinConfig(superlink="c:1", data=tmp_path / "has space").node_config()
