#!/usr/bin/env python3
from courtier.cli import main

if __name__ == "__main__":
    main()
