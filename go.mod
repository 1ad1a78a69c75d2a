module github.com/tolkdev/tolk

go 1.26.0

require golang.org/x/text v0.44.0

require github.com/dlclark/regexp2/v2 v2.13.0
