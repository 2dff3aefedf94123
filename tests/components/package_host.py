"""The package plugin as the Pulumi engine runs it, and the engine's side of the conversation.

How the engine starts a Python component provider (pulumi/pulumi, commit 1b5949891b3c, SDK
3.260): `pulumi-language-python` RunPlugin finds `__main__.py` in the plugin directory and runs
`<venv>/bin/python <plugin dir> <engine address>` in the program's working directory, with the
plugin's virtualenv activated (`toolchain.ActivateVirtualEnv`: venv bin first on PATH,
VIRTUAL_ENV set, PYTHONHOME removed); a plugin's virtualenv defaults to `venv` in the plugin
directory (`parseOptions`), built by `python -m venv` and `pip install -r requirements.txt` run
in that directory (`toolchain/pip.go` InstallDependencies). The plugin prints its port.

The engine half here: one gRPC server with the resource monitor (pulumi's mock monitor as the
offline engine extends it, so registrations are recorded as for a program) and the engine
service (logs), both through pulumi's own protobuf stubs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, resource_pb2, resource_pb2_grpc

from mlrails.engine.identity import Identities
from mlrails.engine.monitor import RecordingMonitor
from tests.conftest import REPO

PROJECT = "package-test"
STACK = "dev"
REGION = "eu-west-1"
# What a built distribution needs from the repository: its metadata and its three packages.
DISTRIBUTION = (
    "pyproject.toml",
    "setup.py",
    "README.md",
    "components",
    "mlrails",
    "monitoring_job",
    "policies",
)


def copy_distribution_sources(root: Path) -> Path:
    """The repository's distribution sources under `root`; returns the plugin directory.

    Built from a copy, so the build (setuptools writes `build/` beside pyproject.toml) leaves
    the working tree alone, and only what the distribution ships can reach the plugin.
    """
    for part in DISTRIBUTION:
        source = REPO / part
        if source.is_dir():
            ignored = shutil.ignore_patterns("__pycache__", "venv", "*.pyc")
            shutil.copytree(source, root / part, ignore=ignored)
        else:
            shutil.copy2(source, root / part)
    return root / "components" / "plugin"


def build_plugin_venv(plugin: Path) -> Path:
    """`venv` in the plugin directory, with the plugin's requirements, as the engine builds it.

    The engine first upgrades pip, setuptools and wheel in the new venv; that step only changes
    the installer's version, so it is left out here (it would need the network on every run).
    """
    subprocess.run([sys.executable, "-m", "venv", "venv"], cwd=plugin, check=True)
    python = plugin / "venv" / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"]
    result = subprocess.run(install, cwd=plugin, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-4000:]
    return python


def activated_environment(venv: Path) -> dict[str, str]:
    """os.environ as `ActivateVirtualEnv` (pulumi sdk/python/toolchain) hands it to the plugin."""
    environment = {k: v for k, v in os.environ.items() if k not in {"PYTHONHOME", "VIRTUAL_ENV"}}
    environment["PATH"] = f"{venv / 'bin'}{os.pathsep}{environment.get('PATH', '')}"
    environment["VIRTUAL_ENV"] = str(venv)
    return environment


@dataclass
class Engine:
    """The engine's services for one provider; `reset()` before each Construct."""

    monitor: RecordingMonitor = field(init=False)
    registrations: list[resource_pb2.RegisterResourceRequest] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    port: int = 0
    known: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.monitor = RecordingMonitor(Identities(REGION), True, PROJECT, STACK)
        # Resources the program registered before: the engine answers `getResource` for them
        # (a provider reference passed to Construct is looked up so).
        for urn, id_ in self.known.items():
            self.monitor.resources[urn] = MockMonitor.ResourceRegistration(urn, id_, {})
        self.registrations = []
        self.logs = []

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


class _Monitor(resource_pb2_grpc.ResourceMonitorServicer):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def RegisterResource(self, request, context):
        with self.engine.lock:
            self.engine.registrations.append(request)
            return self.engine.monitor.RegisterResource(request)

    def RegisterResourceOutputs(self, request, context):
        return empty_pb2.Empty()

    def Invoke(self, request, context):
        with self.engine.lock:
            return self.engine.monitor.Invoke(request)

    def SupportsFeature(self, request, context):
        answer = self.engine.monitor.SupportsFeature(request)
        return resource_pb2.SupportsFeatureResponse(hasSupport=answer.hasSupport)

    def GetDeploymentInfo(self, request, context):
        return self.engine.monitor.GetDeploymentInfo(request)

    def RegisterPackage(self, request, context):
        return self.engine.monitor.RegisterPackage(request)

    def SignalAndWaitForShutdown(self, request, context):
        return empty_pb2.Empty()


class _EngineService(engine_pb2_grpc.EngineServicer):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def Log(self, request, context):
        self.engine.logs.append(request.message)
        return empty_pb2.Empty()

    def GetRootResource(self, request, context):
        return engine_pb2.GetRootResourceResponse(urn="")

    def SetRootResource(self, request, context):
        return engine_pb2.SetRootResourceResponse()


def serve_engine(known: dict[str, str]) -> tuple[Engine, grpc.Server]:
    """The engine's services on a free port; `known`: URN -> id of resources registered before."""
    engine = Engine(known=known)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(_Monitor(engine), server)
    engine_pb2_grpc.add_EngineServicer_to_server(_EngineService(engine), server)
    engine.port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return engine, server


def start_plugin(python: Path, plugin: Path, engine: Engine, program: Path) -> subprocess.Popen:
    """`<venv python> <plugin dir> <engine address>` in the program's directory."""
    return subprocess.Popen(
        [str(python), str(plugin), engine.address],
        cwd=program,
        env=activated_environment(plugin / "venv"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
