"""Trappen's synthetic municipality generator (`manage.py seed`) and the demo users.

Modules: municipalities (the five seeds), rates (every rate and its source), catalogue (offers),
organisation (units, teams, staff), people (children, households, custody holders, network),
history and casework (assessments, notifications, cases and the staircase), notifications (a
notification's content, handling and timeline, repeats and siblings), investigations (an
investigation's findings, recommendation and preliminary assessment), childplans (the child's
plan, goals, goal scores and the no-progress flag), staircase (step movements from
interventions), voice (conversations in the Lundy model, decisions and the conversations that
informed them, the network map's dates, network meetings, family group conferences and network
roles on interventions), early (the assessments' details, sharing with the outreach social
worker, early help at steps 0-1, consultation slots and anonymous consultations), writer (bulk
insert), purge (`--replace`), demo_users, generator.
See docs/synthetic-data.md.
"""
