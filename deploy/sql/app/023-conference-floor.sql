-- The video conference of a command session (issue 17): the station that has the floor (发言), if any.
ALTER TABLE cc_command_session ADD COLUMN floor text NULL;
