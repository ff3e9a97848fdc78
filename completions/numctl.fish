# fish completion for numctl. Subcommands and flags come from the binary itself
# (`numctl __complete`), numbers, teams and members from the database.

function __numctl_complete
    set -l tokens (commandline -opc)
    # The token as the command will receive it ("EMEA\ O" asks for "EMEA O"); fish quotes answers itself.
    set -l cur (commandline -ct | string unescape 2>/dev/null; or commandline -ct | string trim -c "'\"")
    set -l values --config --db --actor --region --format --color --status --type --country --team --member --sort --limit --offset --label --reason --count --contains --kind --file -o --output --with --now --input-format --graph --source --older-than --since --until --within --risk --score-above --score-below --compliance --end-user --field --document --loa --invoice --name --address --email --pin --account-number --requested-date --number --date --carrier --street --city --postal-code --customer-name --contact --emergency --emergency-address
    set -l global
    set -l cmdpath
    set -l operands
    set -l skip 0
    for i in (seq 2 (count $tokens))
        set -l word $tokens[$i]
        if test $skip -eq 1
            set skip 0
            continue
        end
        if contains -- $word --config --db; and test $i -lt (count $tokens)
            set global $global $word $tokens[(math $i + 1)]
        end
        if contains -- $word $values
            set skip 1
            continue
        end
        string match -q -- '-*' $word; and continue
        if test (count $cmdpath) -eq 0; or begin; test (count $cmdpath) -eq 1; and contains -- $cmdpath[1] team member docs reputation provider compliance prices usage port-in port-out address emergency cnam; end
            set cmdpath $cmdpath $word
        else
            set operands $operands $word
        end
    end
    set -l prev $tokens[-1]
    switch $prev
        case --status
            numctl $global __complete statuses -- $cur 2>/dev/null
        case --type
            numctl $global __complete types -- $cur 2>/dev/null
        case --format
            numctl $global __complete formats -- $cur 2>/dev/null
        case --color
            numctl $global __complete colors -- $cur 2>/dev/null
        case --country --region
            numctl $global __complete countries -- $cur 2>/dev/null
        case --team
            numctl $global __complete teams -- $cur 2>/dev/null
        case --member
            numctl $global __complete members -- $cur 2>/dev/null
        case --kind
            numctl $global __complete kinds -- $operands[1] $cur 2>/dev/null
        case --sort
            numctl $global __complete sorts -- $cur 2>/dev/null
        case --compliance
            numctl $global __complete profiles -- $cur 2>/dev/null
        case --emergency-address
            numctl $global __complete addresses -- $cur 2>/dev/null
        case --emergency
            printf '%s\n' registered pending failed none
        case --address
            test "$cmdpath[1]" = emergency; and numctl $global __complete addresses -- $cur 2>/dev/null
        case --document
            numctl $global __complete document_kinds -- $operands[1] $cur 2>/dev/null
        case --config --db --file -o --output --loa --invoice
            __fish_complete_path $cur
        case '*'
            contains -- $prev $values; and return
            if string match -q -- '-*' $cur
                numctl $global __complete flags -- $cmdpath $cur 2>/dev/null
            else if test (count $cmdpath) -eq 0; or begin; test (count $cmdpath) -eq 1; and contains -- $cmdpath[1] team member docs reputation provider compliance prices usage port-in port-out address emergency cnam; end
                numctl $global __complete commands -- $cmdpath $cur 2>/dev/null
            else
                switch $cmdpath[1]
                    case import
                        __fish_complete_path $cur
                    case usage
                        test "$cmdpath[2]" = import; and __fish_complete_path $cur
                    case reputation
                        if test "$cmdpath[2]" = import
                            __fish_complete_path $cur
                        else if contains -- "$cmdpath[2]" show refresh
                            numctl $global __complete operands -- $cmdpath $cur 2>/dev/null
                        end
                    case team member
                        contains -- "$cmdpath[2]" remove rename merge move set; and numctl $global __complete $cmdpath[1]s -- $cur 2>/dev/null
                    case '*'
                        # Which commands take numbers, and in which statuses, is the binary's to say.
                        numctl $global __complete operands -- $cmdpath $cur 2>/dev/null
                end
            end
    end
end

complete -c numctl -f -a '(__numctl_complete)'
