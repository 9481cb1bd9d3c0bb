-- The availability book (helpers.lua, availability_book): {version, {responder, until ms, ...}}.
local book = KEYS[1]
local book_version = KEYS[2]

return availability_book(book, book_version)
