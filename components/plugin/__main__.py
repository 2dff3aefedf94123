"""The Pulumi plugin entry point of the mlrails package (`pulumi package add`).

The engine runs `<plugin venv>/bin/python <this directory> <engine address>`, so this directory is
the first entry of the import path. It holds no Python package for that reason: the components
are imported from the installed mlrails distribution, and nothing here can shadow a third-party
package (`components/sagemaker` beside this file would hide the SageMaker SDK).
"""

import sys

from mlrails_components.provider import serve

if __name__ == "__main__":
    serve(sys.argv[1:])
