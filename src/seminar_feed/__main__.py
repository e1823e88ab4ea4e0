from seminar_feed.cli import main

main(prog_name="seminar-feed")
