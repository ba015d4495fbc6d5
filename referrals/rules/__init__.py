"""The rules of a referral, as pure functions: no database, no request.

One module per thing owned:

- nhs_numbers: how an NHS number is typed, and whether it can be real;
- matching: whether a referred person may be someone already known;
- age: whether a date of birth can be right for a CASPA referral;
- sections: the referral form's sections and the answers each holds;
- completeness: what a referral still needs before it is sent, and why each answer matters.
"""
