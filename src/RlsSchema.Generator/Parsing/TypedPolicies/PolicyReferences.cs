using System.Collections.Generic;
using RlsSchema.Generator.Model;
using RlsSchema.Generator.Model.TypedPolicies;

namespace RlsSchema.Generator.Parsing.TypedPolicies
{
    /// <summary>What an entity's foreign keys and typed policies refer to: other entities.</summary>
    internal static class PolicyReferences
    {
        /// <summary>The full names of the entities the entity's foreign keys, collections and typed policies read.</summary>
        /// <param name="entity">The entity.</param>
        /// <returns>The names, possibly repeated.</returns>
        public static IEnumerable<string> EntitiesOf(EntityModel entity)
        {
            foreach (ForeignKeyModel foreignKey in entity.ForeignKeys)
            {
                yield return foreignKey.PrincipalEntity;
            }

            foreach (PolicyModel policy in entity.Policies)
            {
                foreach (PolicyExpression? condition in new[] { policy.Using, policy.WithCheck })
                {
                    if (condition is not null)
                    {
                        foreach (string name in EntitiesOf(condition))
                        {
                            yield return name;
                        }
                    }
                }
            }
        }

        /// <summary>The full names of the entities a condition reads through navigations.</summary>
        /// <param name="expression">The condition.</param>
        /// <returns>The names, possibly repeated.</returns>
        public static IEnumerable<string> EntitiesOf(PolicyExpression expression)
        {
            var pending = new Stack<PolicyExpression>();
            pending.Push(expression);
            while (pending.Count > 0)
            {
                switch (pending.Pop())
                {
                    case AndExpression and:
                        pending.Push(and.Left);
                        pending.Push(and.Right);
                        break;
                    case OrExpression or:
                        pending.Push(or.Left);
                        pending.Push(or.Right);
                        break;
                    case NotExpression not:
                        pending.Push(not.Operand);
                        break;
                    case ThroughReference through:
                        yield return through.PrincipalEntity;
                        pending.Push(through.Condition);
                        break;
                    case CorrelatedReference correlated:
                        yield return correlated.PrincipalEntity;
                        pending.Push(correlated.Condition);
                        break;
                    case AnyDependent any:
                        yield return any.DependentEntity;
                        if (any.Condition is not null)
                        {
                            pending.Push(any.Condition);
                        }

                        break;
                }
            }
        }
    }
}
