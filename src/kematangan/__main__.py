from kematangan.cli import main

main()
