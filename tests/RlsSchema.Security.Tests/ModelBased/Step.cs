using System.Globalization;
using CsCheck;

namespace RlsSchema.Security.Tests.ModelBased;

/// <summary>Who acts in a step.</summary>
public enum Actor
{
    /// <summary>One of the run's users, by <see cref="Step.User"/>.</summary>
    User,

    /// <summary>No token: the anonymous role.</summary>
    Anonymous,

    /// <summary>A forged token claiming to be the victim (<see cref="Step.Victim"/>).</summary>
    Forger,
}

/// <summary>How a forged token is made.</summary>
public enum Forgery
{
    /// <summary>The attacker's own valid token with <c>sub</c> changed to the victim's after signing.</summary>
    TamperedSubject,

    /// <summary><c>alg: none</c> and no signature, claiming the victim's <c>sub</c>.</summary>
    Unsigned,

    /// <summary>HS256 with the issuer's public key as the secret.</summary>
    KeyConfusion,

    /// <summary>RS256 with a key the issuer never published, under the issuer's <c>kid</c>.</summary>
    OtherKey,

    /// <summary>The victim's own token, expired.</summary>
    Expired,
}

/// <summary>What the step does, through the generated <c>GuardedTodoRepository</c>.</summary>
public enum Operation
{
    /// <summary><c>InsertAsync</c>.</summary>
    Insert,

    /// <summary><c>GetAsync</c> of a targeted id.</summary>
    Get,

    /// <summary><c>ListAsync</c>.</summary>
    List,

    /// <summary><c>ListMineAsync</c>.</summary>
    ListMine,

    /// <summary><c>UpdateAsync</c> of a targeted id.</summary>
    Update,

    /// <summary><c>DeleteAsync</c> of a targeted id.</summary>
    Delete,
}

/// <summary>Which row id a targeted step goes for.</summary>
public enum Aim
{
    /// <summary>A live row of another user: the attack.</summary>
    OthersRow,

    /// <summary>A live row of the actor.</summary>
    OwnRow,

    /// <summary>A row deleted earlier.</summary>
    DeletedRow,

    /// <summary>An id no row ever had.</summary>
    Missing,
}

/// <summary>What the step writes into <c>UserId</c>.</summary>
public enum OwnerValue
{
    /// <summary>Empty: insert takes <c>auth.user_id()</c>, update keeps the stored owner.</summary>
    Default,

    /// <summary>The actor's own id, spelled out.</summary>
    Self,

    /// <summary>The victim's id: an insert or update in someone else's name.</summary>
    Victim,
}

/// <summary>One operation of a generated script. Ids are chosen when the step runs, from what exists then.</summary>
public sealed record Step(Actor Actor, int User, int Victim, Forgery Forgery, Operation Operation, Aim Aim, int Pick, string Task, bool IsComplete, OwnerValue Owner)
{
    /// <summary>How many users a run has.</summary>
    public const int Users = 3;

    /// <summary>Random steps, weighted toward writes and toward other users' rows.</summary>
    public static readonly Gen<Step> Gen =
        CsCheck.Gen.Select(
            CsCheck.Gen.Frequency((14, CsCheck.Gen.Const(Actor.User)), (3, CsCheck.Gen.Const(Actor.Anonymous)), (3, CsCheck.Gen.Const(Actor.Forger))),
            CsCheck.Gen.Int[0, Users - 1],
            CsCheck.Gen.Int[0, Users - 1],
            CsCheck.Gen.Enum<Forgery>(),
            CsCheck.Gen.Frequency(
                (25, CsCheck.Gen.Const(Operation.Insert)),
                (18, CsCheck.Gen.Const(Operation.Get)),
                (12, CsCheck.Gen.Const(Operation.List)),
                (5, CsCheck.Gen.Const(Operation.ListMine)),
                (22, CsCheck.Gen.Const(Operation.Update)),
                (18, CsCheck.Gen.Const(Operation.Delete))),
            CsCheck.Gen.Frequency(
                (10, CsCheck.Gen.Const(Aim.OthersRow)),
                (5, CsCheck.Gen.Const(Aim.OwnRow)),
                (3, CsCheck.Gen.Const(Aim.DeletedRow)),
                (2, CsCheck.Gen.Const(Aim.Missing))),
            CsCheck.Gen.Int[0, 1_000],
            (actor, user, victim, forgery, operation, aim, pick) => (actor, user, victim, forgery, operation, aim, pick))
        .Select(TaskText, CsCheck.Gen.Bool, CsCheck.Gen.Frequency((14, CsCheck.Gen.Const(OwnerValue.Default)), (3, CsCheck.Gen.Const(OwnerValue.Self)), (3, CsCheck.Gen.Const(OwnerValue.Victim))),
            (s, task, complete, owner) => new Step(s.actor, s.user, s.victim, s.forgery, s.operation, s.aim, s.pick, task, complete, owner));

    /// <summary>Task texts: ordinary, hostile to SQL and JSON, unicode, and empty (which the check constraint refuses).</summary>
    public static Gen<string> TaskText => CsCheck.Gen.Frequency(
        (10, CsCheck.Gen.Char['a', 'z'].Array[1, 12].Select(c => new string(c))),
        (4, CsCheck.Gen.OneOf("' or 1=1 --", "'); DELETE FROM todos; --", "\"}, \"sub\": \"x", "\\", "$$", "名前 😀", "NULL", "%_", "\u2028", "a\nb")),
        (1, CsCheck.Gen.Const("")));

    /// <inheritdoc />
    public override string ToString()
    {
        string who = Actor switch
        {
            Actor.User => "user" + User.ToString(CultureInfo.InvariantCulture),
            Actor.Anonymous => "anonymous",
            _ => $"forger({Forgery} as user{Victim.ToString(CultureInfo.InvariantCulture)})",
        };
        string what = Operation switch
        {
            Operation.Insert => $"Insert(task: {Show(Task)}, done: {IsComplete}, owner: {Owner} user{Victim})",
            Operation.Update => $"Update({Aim}#{Pick}, task: {Show(Task)}, done: {IsComplete}, owner: {Owner} user{Victim})",
            Operation.Get or Operation.Delete => $"{Operation}({Aim}#{Pick})",
            _ => Operation.ToString() + "()",
        };
        return who + " " + what;
    }

    private static string Show(string s) => Generator.EntitySource.Literal(s);
}
