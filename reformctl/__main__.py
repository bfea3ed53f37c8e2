from reformctl.answers import main

main()
