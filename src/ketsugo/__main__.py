from ketsugo.cli.main import main

main()
