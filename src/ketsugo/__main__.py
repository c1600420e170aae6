from ketsugo.cli import main

main()
