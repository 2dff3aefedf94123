from mlrails.cli import main

raise SystemExit(main())
