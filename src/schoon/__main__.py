from schoon.cli import main

main()
