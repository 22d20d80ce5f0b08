"""The body's letterhead (name, address, logo, signatory) read once and cached, shown in
the header of the app and on every PDF; officers edit it on the branding page."""
