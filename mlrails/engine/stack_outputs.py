"""`--stack-outputs FILE`: the outputs of stacks a program reads through StackReference.

The file is a JSON object from stack name (as the program names it, e.g. `acme/network/prod`)
to that stack's outputs object. A referenced stack missing from it keeps unknown outputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlrails.errors import UserError

_EXAMPLE = '{"acme/network/prod": {"vpcId": "vpc-0123", "subnetIds": ["subnet-1"]}}'


def read_stack_outputs(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UserError(f"{path}: cannot read the stack outputs file ({err.strerror}).") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise UserError(
            f"{path}: is not JSON ({err}). --stack-outputs takes an object from stack name to "
            f"outputs, e.g. {_EXAMPLE}"
        ) from err
    if not isinstance(data, dict):
        raise UserError(
            f"{path}: is a JSON {type(data).__name__}; --stack-outputs takes an object from "
            f"stack name to outputs, e.g. {_EXAMPLE}"
        )
    for stack, outputs in data.items():
        if not isinstance(outputs, dict):
            raise UserError(
                f"{path}: the outputs of stack {stack!r} are a JSON {type(outputs).__name__}; "
                f"they must be an object of output names to values, e.g. {_EXAMPLE}"
            )
    return data
