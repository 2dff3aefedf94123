"""Host the components as a Pulumi component provider (`pulumi package add`)."""

import sys
from pathlib import Path

# The plugin runs this file with only its own directory on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi.provider.experimental import component_provider_host

from components.provider import COMPONENTS, PACKAGE

if __name__ == "__main__":
    component_provider_host(name=PACKAGE, components=COMPONENTS, version="0.1.0")
