"""ops/deploy checked as data: the compose file and the systemd units."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import pytest
import yaml

from ops.cli import build_parser

DEPLOY = Path(__file__).resolve().parents[2] / "ops" / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|REDACT_KEY|COOKIE", re.IGNORECASE)
REFERENCE = re.compile(r"\$\{(\w+)[^}]*\}")


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def assert_heishi_command(argv: list[str]) -> None:
    """A real heishi command: the CLI's own parser accepts it."""
    assert Path(argv[0]).name == "heishi", argv
    parser, commands = build_parser()
    args = parser.parse_args(argv[1:])
    assert args.command in commands


def test_the_compose_file_runs_the_whole_stack_with_pinned_versions_volumes_and_healthchecks():
    services = compose()["services"]
    assert {"elasticsearch", "kibana", "redis", "scheduler", "worker"} <= set(services)
    for name, service in services.items():
        image = service["image"]
        tag = image.rsplit(":", 1)[-1] if ":" in image.split("/")[-1] else ""
        assert re.match(r"^\d+(\.\d+)+", tag), f"{name}: image {image} is not pinned"
        if service.get("restart") != "no":  # long-running: docker can tell if it is well
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    for name in ("elasticsearch", "kibana", "redis", "scheduler", "worker"):
        volumes = services[name]["volumes"]
        assert all(":" in volume and not volume.startswith(("/", ".")) for volume in volumes)
    assert set(compose()["volumes"]) >= {"es-data", "redis-data", "heishi-data"}
    assert "--appendonly" in services["redis"]["command"]  # the queue survives a restart


def test_every_heishi_service_runs_a_real_heishi_command():
    services = compose()["services"]
    for name in ("scheduler", "worker"):
        assert_heishi_command(services[name]["command"])
        assert services[name]["env_file"] == ["heishi.env"]
    assert services["scheduler"]["command"][1:3] == ["schedule", "run"]
    assert services["worker"]["command"][1] == "worker"
    assert_heishi_command(services["scheduler"]["healthcheck"]["test"][1:])


def test_no_secret_is_written_in_the_compose_file():
    text = COMPOSE.read_text(encoding="utf-8")
    example = (DEPLOY / "heishi.env.example").read_text(encoding="utf-8")
    example_values = dict(
        line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#")
    )
    for service in compose()["services"].values():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                assert REFERENCE.fullmatch(str(value)), f"{key} must come from heishi.env"
    for name, value in example_values.items():
        if SECRET_NAME.search(name):
            assert value not in text
    # Every variable the compose file needs is in the example env file, so none is forgotten.
    assert set(REFERENCE.findall(text)) <= set(example_values)
    assert "ops/deploy/heishi.env" in (DEPLOY.parents[1] / ".gitignore").read_text()


@pytest.mark.parametrize("unit", UNITS, ids=[unit.name for unit in UNITS])
def test_systemd_units_run_real_heishi_commands_with_secrets_from_a_file(unit):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(unit.read_text(encoding="utf-8"))
    assert {"Unit", "Service", "Install"} <= set(parser.sections())
    service = parser["Service"]
    assert_heishi_command(shlex.split(service["ExecStart"]))
    assert service["EnvironmentFile"].startswith("/etc/heishi/")
    assert "Environment" not in service  # settings and secrets come from the file only
    assert service["KillSignal"] == "SIGTERM" and service["KillMode"] == "mixed"
    assert parser["Install"]["WantedBy"] == "multi-user.target"


def test_there_is_a_scheduler_unit_and_a_worker_template():
    assert {unit.name for unit in UNITS} == {"heishi-scheduler.service", "heishi-worker@.service"}
    worker = (DEPLOY / "systemd" / "heishi-worker@.service").read_text()
    assert "%i" in worker
