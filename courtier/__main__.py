from courtier.cli import main

main()
