"""The text of privacy policy version 1, exactly as published; never edit it.

A consent record proves agreement to these words by their hash. A changed policy is a new
PolicyVersion row with a new version name, never an edit of this text.
"""

FIRST_POLICY_VERSION = "1"

FIRST_POLICY_TEXT = """# Privacy policy

IMAS is software that the operator of this server runs for you. This page says what it keeps
about you, why, and what you can do about it.

## What we keep
- **Your account:** email address, name, and a password hash (Argon2; we never know your
  password).
- **Your profile:** birthday, height, weight, gender, main activity, units, time zone, and, if
  you give them, resting and maximum heart rate.
- **Your activities:** the files you upload or import, and what IMAS calculates from them
  (distance, times, elevation, heart rate, power, location track).
- **Security records:** which browsers have signed in to your account (a fingerprint of the
  browser name, not your address), personal access tokens (stored only as a hash), and your
  choices about consent, with date and policy version.

## Why
- To run the service you asked for: store your activities and show you their analysis.
- **Body data** (birthday, height, weight, gender) is used in calculations such as calories
  and heart-rate zones **only if you consent**. Without consent these values are stored (so you
  can see and edit them) but never used. You can give or withdraw consent at any time on your
  profile; each decision is recorded.
- To keep your account safe: we email you when your password, email address or second factor
  changes, and when someone signs in from a new browser.

## Who sees it
Activities are private unless you choose otherwise. Nothing is sent to third parties unless you
connect a service yourself; every such disclosure is recorded. Pages load nothing from other
websites, so no one else learns that you use IMAS.

## Your rights
You can see and correct your data on your profile, download all of it, and delete your account
with everything in it. Ask the operator of this server if anything is unclear.

## Changes
When this policy changes, you will be asked to accept the new version. The version you accepted
and its fingerprint stay on record.
"""
